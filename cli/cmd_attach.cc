// tvault attach: seals an evidence file (photo, medical report, recording) to the organisation
// key and stores it with a testimony, after stripping its metadata. The device that attached a
// file cannot open it again.
#include <iostream>

#include "commands.h"
#include "common.h"
#include "render.h"

namespace tvault::cli {

void RegisterAttach(CLI::App& app) {
  struct Opts {
    StoreFlags store;
    std::string id, file, kind, caption, caption_file;
    bool keep_metadata = false;
    uint64_t max_size = kDefaultMaxAttachmentBytes;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* cmd = app.add_subcommand(
      "attach",
      "Attach a file to a testimony: its metadata is stripped (EXIF, XMP, IPTC, GPS, maker "
      "notes of JPEG, PNG and WebP images; document information and XMP of PDFs), then it is "
      "encrypted to the organisation key inside the store. This device cannot open it again. "
      "Audio, video, HEIC and unknown types are refused unless --keep-metadata");
  AddStoreFlags(cmd, &opts->store);
  cmd->add_option("id", opts->id, "Record id (or a unique prefix)")->required();
  cmd->add_option("file", opts->file, "The file to attach (its name is not stored)")->required();
  cmd->add_option("--kind", opts->kind,
                  "photo, medical, audio, document or other (default: from the file's type)");
  cmd->add_option("--caption", opts->caption,
                  "A searchable caption (stored readable in the store; it stays in shell "
                  "history: prefer --caption-file)");
  cmd->add_option("--caption-file", opts->caption_file, "Read the caption from a file (- : stdin)");
  cmd->add_flag("--keep-metadata", opts->keep_metadata,
                "Store the file as received, metadata included (required for audio, video, "
                "HEIC and unknown types)");
  cmd->add_option("--max-size", opts->max_size,
                  "Refuse a file larger than this many bytes (default and ceiling 512 MiB)");
  cmd->callback([opts]() {
    AttachOptions options;
    options.kind = opts->kind;
    options.caption = opts->caption;
    if (!opts->caption_file.empty()) {
      if (!opts->caption.empty()) throw CliError(kExitUsage, "give --caption or --caption-file, not both");
      options.caption = ReadInputFile(opts->caption_file, kMaxCaptionBytes);
      while (!options.caption.empty() && options.caption.back() == '\n') options.caption.pop_back();
    }
    options.keep_metadata = opts->keep_metadata;
    options.max_bytes = opts->max_size;
    RequireInputFile(opts->file);
    StoreRef store = OpenStore(opts->store);
    const std::string id = ResolveRecordId(*store, opts->id);
    AttachResult r = Check(store->Attach(id, opts->file, options));
    for (const std::string& w : r.warnings) std::cerr << "tvault: warning: " << w << "\n";
    const AttachmentInfo& a = r.info;
    std::cout << "attached " << a.media_type << " as attachment " << a.number << " of record "
              << id << " (" << a.kind << ", "
              << (a.stripped ? "metadata stripped, " + std::to_string(a.received_size) +
                                   " -> " + std::to_string(a.stored_size) + " bytes"
                             : "metadata KEPT, " + std::to_string(a.stored_size) + " bytes")
              << ", sealed to the organisation key)\n"
              << "sha256 as received " << a.received_sha256 << "\n"
              << "sha256 as stored   " << a.stored_sha256 << "\n";
  });
}

}  // namespace tvault::cli

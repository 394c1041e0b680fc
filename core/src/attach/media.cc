// Sniffing media types, and the metadata stripping that needs no library (JPEG segments, PNG
// chunks). exiv2 and qpdf are called from strip_exiv2.cc and strip_pdf.cc.
#include "attach/media.h"

#include <cstdint>
#include <cstring>

namespace tvault::internal {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

MediaType Make(const char* name, MediaFamily family, bool strippable, const char* kind) {
  return MediaType{name, family, strippable, kind};
}

// The ISO base media file format (MP4, MOV, 3GP, HEIF): "ftyp" at offset 4, then the brand.
MediaType SniffIsoBmff(std::string_view head) {
  const std::string_view brand = head.substr(8, 4);
  for (const char* heic : {"heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1", "avif"}) {
    if (brand == heic) return Make("image/heic", MediaFamily::kImage, false, "photo");
  }
  if (brand == "M4A " || brand == "M4B ") {
    return Make("audio/mp4", MediaFamily::kAudioVideo, false, "audio");
  }
  if (brand == "qt  ") return Make("video/quicktime", MediaFamily::kAudioVideo, false, "audio");
  return Make("video/mp4", MediaFamily::kAudioVideo, false, "audio");
}

uint32_t Be32(const std::string& s, size_t at) {
  return (uint32_t(uint8_t(s[at])) << 24) | (uint32_t(uint8_t(s[at + 1])) << 16) |
         (uint32_t(uint8_t(s[at + 2])) << 8) | uint32_t(uint8_t(s[at + 3]));
}

}  // namespace

MediaType SniffMediaType(std::string_view head) {
  if (StartsWith(head, "\xFF\xD8\xFF")) return Make("image/jpeg", MediaFamily::kImage, true, "photo");
  if (StartsWith(head, "\x89PNG\r\n\x1A\n")) {
    return Make("image/png", MediaFamily::kImage, true, "photo");
  }
  if (head.size() >= 12 && StartsWith(head, "RIFF")) {
    const std::string_view form = head.substr(8, 4);
    if (form == "WEBP") return Make("image/webp", MediaFamily::kImage, true, "photo");
    if (form == "WAVE") return Make("audio/wav", MediaFamily::kAudioVideo, false, "audio");
    if (form == "AVI ") return Make("video/x-msvideo", MediaFamily::kAudioVideo, false, "audio");
  }
  if (head.size() >= 12 && head.substr(4, 4) == "ftyp") return SniffIsoBmff(head);
  if (StartsWith(head, "%PDF-")) return Make("application/pdf", MediaFamily::kPdf, true, "document");
  if (StartsWith(head, "ID3") || StartsWith(head, "\xFF\xFB") || StartsWith(head, "\xFF\xF3") ||
      StartsWith(head, "\xFF\xF2")) {
    return Make("audio/mpeg", MediaFamily::kAudioVideo, false, "audio");
  }
  if (StartsWith(head, "OggS")) return Make("audio/ogg", MediaFamily::kAudioVideo, false, "audio");
  if (StartsWith(head, "fLaC")) return Make("audio/flac", MediaFamily::kAudioVideo, false, "audio");
  if (StartsWith(head, "#!AMR")) return Make("audio/amr", MediaFamily::kAudioVideo, false, "audio");
  if (StartsWith(head, "\x1A\x45\xDF\xA3")) {
    return Make("video/x-matroska", MediaFamily::kAudioVideo, false, "audio");
  }
  return Make("application/octet-stream", MediaFamily::kUnknown, false, "other");
}

std::string KeptMetadataRisk(const MediaType& type) {
  switch (type.family) {
    case MediaFamily::kAudioVideo:
      return "tvault cannot remove the metadata of " + type.name +
             " files: it may hold the recording device, its owner's name, the time and the GPS "
             "position where it was made";
    case MediaFamily::kImage:
      return "tvault cannot remove the metadata of " + type.name +
             " images (exiv2 0.27 cannot write HEIC): it may hold the camera, the time and the "
             "GPS position where the photo was taken, and a preview of the original";
    case MediaFamily::kPdf:
    case MediaFamily::kUnknown:
      break;
  }
  return "tvault does not know this file's type (" + type.name +
         ") and cannot remove its metadata: it may hold names, device details, times and places";
}

Result<std::string> StripMetadata(const MediaType& type, const std::string& input) {
  if (type.name == "image/jpeg") {
    TVAULT_ASSIGN_OR_RETURN(std::string cleared, StripWithExiv2(input));
    return StripJpegSegments(cleared);
  }
  if (type.name == "image/png") return StripPngChunks(input);
  if (type.name == "image/webp") return StripWithExiv2(input);
  if (type.name == "application/pdf") return StripPdf(input);
  return Status(Code::kUnsupported, KeptMetadataRisk(type));
}

Result<std::string> StripJpegSegments(const std::string& jpeg) {
  auto bad = [](const char* what) {
    return InvalidArgument(std::string("not a well-formed JPEG file: ") + what);
  };
  if (jpeg.size() < 4 || uint8_t(jpeg[0]) != 0xFF || uint8_t(jpeg[1]) != 0xD8) {
    return bad("no start-of-image marker");
  }
  std::string out = jpeg.substr(0, 2);
  size_t i = 2;
  for (;;) {
    // Markers may be preceded by fill bytes (0xFF).
    if (i >= jpeg.size() || uint8_t(jpeg[i]) != 0xFF) return bad("a segment does not start with a marker");
    while (i < jpeg.size() && uint8_t(jpeg[i]) == 0xFF) ++i;
    if (i >= jpeg.size()) return bad("truncated marker");
    const uint8_t marker = uint8_t(jpeg[i++]);
    if (marker == 0xD9) {  // end of image: anything after it (a second image, a trailer) goes
      out.append("\xFF\xD9", 2);
      return out;
    }
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
      out.push_back('\xFF');
      out.push_back(static_cast<char>(marker));
      continue;
    }
    if (i + 2 > jpeg.size()) return bad("truncated segment length");
    const size_t len = (size_t(uint8_t(jpeg[i])) << 8) | uint8_t(jpeg[i + 1]);
    if (len < 2 || i + len > jpeg.size()) return bad("a segment runs past the end of the file");
    const bool app = marker >= 0xE0 && marker <= 0xEF;
    const bool keep_app = (marker == 0xE0 && len >= 7 && jpeg.compare(i + 2, 5, "JFIF\0", 5) == 0) ||
                          (marker == 0xEE && len >= 7 && jpeg.compare(i + 2, 5, "Adobe") == 0);
    const bool drop = (app && !keep_app) || marker == 0xFE;  // APPn, COM
    if (!drop) {
      out.push_back('\xFF');
      out.push_back(static_cast<char>(marker));
      out.append(jpeg, i, len);
    }
    i += len;
    if (marker == 0xDA) {  // start of scan: entropy-coded data up to the next real marker
      const size_t start = i;
      while (i + 1 < jpeg.size()) {
        if (uint8_t(jpeg[i]) == 0xFF) {
          const uint8_t next = uint8_t(jpeg[i + 1]);
          if (next != 0x00 && !(next >= 0xD0 && next <= 0xD7) && next != 0xFF) break;
        }
        ++i;
      }
      if (i + 1 >= jpeg.size()) return bad("the scan data has no end");
      out.append(jpeg, start, i - start);
    }
  }
}

Result<std::string> StripPngChunks(const std::string& png) {
  static const char* const kKeep[] = {"IHDR", "PLTE", "IDAT", "IEND", "tRNS", "gAMA",
                                      "cHRM", "sRGB", "sBIT", "bKGD", "pHYs"};
  constexpr size_t kSignature = 8;
  if (png.size() < kSignature || png.compare(0, kSignature, "\x89PNG\r\n\x1A\n") != 0) {
    return InvalidArgument("not a well-formed PNG file: no signature");
  }
  std::string out = png.substr(0, kSignature);
  size_t i = kSignature;
  while (i + 12 <= png.size()) {
    const uint64_t len = Be32(png, i);
    if (len > png.size() - i - 12) break;
    const std::string type = png.substr(i + 4, 4);
    bool keep = false;
    for (const char* k : kKeep) keep |= type == k;
    if (keep) out.append(png, i, static_cast<size_t>(len) + 12);
    i += static_cast<size_t>(len) + 12;
    if (type == "IEND") return out;
  }
  return InvalidArgument("not a well-formed PNG file: a chunk runs past the end, or no IEND");
}

}  // namespace tvault::internal

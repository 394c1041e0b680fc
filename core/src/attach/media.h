// Media types of attachments, sniffed from their first bytes (never from a file name), and
// the removal of their metadata before they are sealed.
#ifndef TVAULT_ATTACH_MEDIA_H_
#define TVAULT_ATTACH_MEDIA_H_

#include <string>
#include <string_view>

#include "tvault/status.h"

namespace tvault::internal {

// How many leading bytes SniffMediaType looks at.
constexpr size_t kSniffBytes = 64;

enum class MediaFamily { kImage, kPdf, kAudioVideo, kUnknown };

struct MediaType {
  std::string name;           // "image/jpeg", ..., "application/octet-stream"
  MediaFamily family = MediaFamily::kUnknown;
  bool strippable = false;    // StripMetadata can remove its metadata
  std::string default_kind;   // photo, document, audio or other
};

// The type of a file that starts with `head` (its first kSniffBytes bytes, or all of it).
MediaType SniffMediaType(std::string_view head);

// Why a type whose metadata cannot be removed is refused without --keep-metadata (and what
// keeping it risks): one sentence naming the type.
std::string KeptMetadataRisk(const MediaType& type);

// Returns `input` without its metadata:
//   JPEG  exiv2 clears Exif (GPS and maker notes included), IPTC, XMP, the comment and the ICC
//         profile; then every APPn segment but JFIF (APP0) and Adobe (APP14), every COM
//         segment and anything after the end-of-image marker are dropped.
//   PNG   only the chunks that describe pixels are kept (IHDR, PLTE, IDAT, IEND, tRNS, gAMA,
//         cHRM, sRGB, sBIT, bKGD, pHYs); text, Exif, XMP, ICC and time chunks go.
//   WebP  exiv2 clears Exif, XMP and the ICC profile.
//   PDF   qpdf drops the document information dictionary, every /Metadata (XMP) stream and
//         /PieceInfo, and rewrites the file without earlier revisions.
// kUnsupported for any other type (HEIC included: exiv2 0.27 cannot write it); kInvalidArgument
// when the file is malformed.
Result<std::string> StripMetadata(const MediaType& type, const std::string& input);

// The parts of StripMetadata, exposed for tests.
Result<std::string> StripJpegSegments(const std::string& jpeg);
Result<std::string> StripPngChunks(const std::string& png);
Result<std::string> StripWithExiv2(const std::string& image);
Result<std::string> StripPdf(const std::string& pdf);

}  // namespace tvault::internal

#endif  // TVAULT_ATTACH_MEDIA_H_

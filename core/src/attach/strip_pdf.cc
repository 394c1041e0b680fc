// Metadata removal through qpdf (Debian's libqpdf, 11.x): the document information dictionary,
// XMP streams and /PieceInfo, then a full rewrite, so earlier revisions (incremental updates
// that may still hold an old author) are not carried over.
// qpdf 11: no PointerHolder (std::shared_ptr throughout).
#define POINTERHOLDER_TRANSITION 4
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFWriter.hh>

#include "attach/media.h"

namespace tvault::internal {

Result<std::string> StripPdf(const std::string& pdf) {
  try {
    QPDF doc;
    doc.setSuppressWarnings(true);  // qpdf's warnings may quote the file
    doc.processMemoryFile("attachment.pdf", pdf.data(), pdf.size());
    if (doc.isEncrypted()) {
      return Status(Code::kUnsupported,
                    "the PDF is encrypted: tvault cannot remove its metadata (decrypt it first, "
                    "or give --keep-metadata)");
    }
    doc.getTrailer().removeKey("/Info");
    for (QPDFObjectHandle obj : doc.getAllObjects()) {
      QPDFObjectHandle dict = obj.isStream() ? obj.getDict() : obj;
      if (!dict.isDictionary()) continue;
      dict.removeKey("/Metadata");
      dict.removeKey("/PieceInfo");
    }
    QPDFWriter w(doc);
    w.setOutputMemory();
    w.setPreserveEncryption(false);
    w.setDeterministicID(true);
    w.setLinearization(false);
    w.write();
    std::shared_ptr<Buffer> buf = w.getBufferSharedPointer();
    return std::string(reinterpret_cast<const char*>(buf->getBuffer()), buf->getSize());
  } catch (const std::exception&) {
    // qpdf's message may quote the file: it is not passed on.
    return InvalidArgument("the PDF is malformed (qpdf cannot rewrite it without its metadata)");
  }
}

}  // namespace tvault::internal

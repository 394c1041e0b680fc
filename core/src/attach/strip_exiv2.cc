// Metadata removal through exiv2 (Debian's libexiv2, 0.27): JPEG and WebP.
#include <exiv2/exiv2.hpp>

#include "attach/media.h"

namespace tvault::internal {

// exiv2 0.27's API hands images out as std::auto_ptr, deprecated since C++11.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
Result<std::string> StripWithExiv2(const std::string& image) {
  // exiv2 prints warnings about odd files on stderr itself: they could quote the file's text.
  Exiv2::LogMsg::setLevel(Exiv2::LogMsg::mute);
  try {
    Exiv2::Image::AutoPtr img = Exiv2::ImageFactory::open(
        reinterpret_cast<const Exiv2::byte*>(image.data()), static_cast<long>(image.size()));
    if (img.get() == nullptr) return InvalidArgument("exiv2 does not recognise the image");
    img->readMetadata();
    img->clearMetadata();  // Exif (GPS, maker notes), IPTC, XMP, comment
    img->clearIccProfile();
    img->writeMetadata();
    Exiv2::BasicIo& io = img->io();
    if (io.open() != 0) return Internal("exiv2: cannot reopen the image it wrote");
    std::string out(io.size(), '\0');
    io.seek(0, Exiv2::BasicIo::beg);
    const long got = io.read(reinterpret_cast<Exiv2::byte*>(out.data()), static_cast<long>(out.size()));
    io.close();
    if (got != static_cast<long>(out.size())) return Internal("exiv2: short read of the image");
    return out;
  } catch (const Exiv2::AnyError&) {
    // The message may quote bytes of the file: it is not passed on.
    return InvalidArgument("the image is malformed (exiv2 cannot rewrite it without its metadata)");
  } catch (const std::exception&) {
    return InvalidArgument("the image is malformed (exiv2 cannot rewrite it without its metadata)");
  }
}
#pragma GCC diagnostic pop

}  // namespace tvault::internal

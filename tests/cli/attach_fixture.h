// Small media files for the attachment tests, and the independent tools that look into them.
#ifndef TVAULT_TESTS_CLI_ATTACH_FIXTURE_H_
#define TVAULT_TESTS_CLI_ATTACH_FIXTURE_H_

#include <sodium.h>

#include <string>
#include <vector>

#include "cli/cli_fixture.h"

namespace tvault::testing {

inline std::string FromHex(const std::string& hex) {
  std::string out(hex.size() / 2, '\0');
  size_t len = 0;
  sodium_hex2bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), hex.data(),
                 hex.size(), nullptr, &len, nullptr);
  out.resize(len);
  return out;
}

inline std::string Sha256Hex(const std::string& bytes) {
  unsigned char d[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(d, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  char hex[2 * sizeof d + 1];
  sodium_bin2hex(hex, sizeof hex, d, sizeof d);
  return hex;
}

// An 8x8 grey baseline JPEG with a JFIF header and no metadata (made with libjpeg).
inline std::string TinyJpeg() {
  return FromHex(
      "ffd8ffe000104a46494600010100000100010000ffdb004300100b0c0e0c0a100e0d0e1211101318281a1816"
      "16183123251d283a333d3c3933383740485c4e404457453738506d51575f626768673e4d71797064785c6567"
      "63ffc0000b080008000801011100ffc4001f0000010501010101010100000000000000000102030405060708"
      "090a0bffc400b5100002010303020403050504040000017d0102030004110512213141061351610722711432"
      "8191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a43444546474849"
      "4a535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3"
      "a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9ea"
      "f1f2f3f4f5f6f7f8f9faffda0008010100003f00afe0aff9675fffd9");
}

// An 8x8 grey PNG: IHDR, IDAT, IEND.
inline std::string TinyPng() {
  return FromHex("89504e470d0a1a0a0000000d4948445200000008000000080800000000e164e1570000001449444154789c636090b389aa98b6e51203650c008a151a414cd7f5b90000000049454e44ae426082");
}

// A one-page PDF whose document information names `author` and whose XMP metadata stream names
// `xmp_author`, with a correct cross-reference table.
inline std::string TinyPdf(const std::string& author, const std::string& xmp_author) {
  const std::string xmp = "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF "
                          "xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:"
                          "Description xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:creator>"
                          "<rdf:Seq><rdf:li>" + xmp_author + "</rdf:li></rdf:Seq></dc:creator>"
                          "</rdf:Description></rdf:RDF></x:xmpmeta>";
  const std::vector<std::string> objects = {
      "<< /Type /Catalog /Pages 2 0 R /Metadata 5 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] >>",
      "<< /Author (" + author + ") /Producer (tvault tests) >>",
      "<< /Type /Metadata /Subtype /XML /Length " + std::to_string(xmp.size()) + " >>\nstream\n" +
          xmp + "\nendstream"};
  std::string pdf = "%PDF-1.4\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t off : offsets) {
    char line[32];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", off);
    pdf += line;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
         " /Root 1 0 R /Info 4 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

// Runs Debian's exiftool (libimage-exiftool-perl, scripts/bootstrap.sh): an independent reader
// of the metadata tvault strips.
inline RunResult Exiftool(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"/usr/bin/exiftool"};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProgram(argv);
}

}  // namespace tvault::testing

#endif  // TVAULT_TESTS_CLI_ATTACH_FIXTURE_H_

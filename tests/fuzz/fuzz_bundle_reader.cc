// Fuzz target: the bundle reader of `tvault bundle import` (core/src/bundle/reader.cc).
//
// An input that starts like an age file ("age-encryption.org/v1\n") is read whole, decrypted
// with the fixed organisation identity; any other input is taken as the decrypted plaintext
// (payload, signature, footer), which is where the bundle's own parsing lives: a mutation of an
// age file rarely gets past its MAC. A scanned bundle is then checked for its signer against
// the fixed signer key as the only trusted one.
//
// Contract beyond "no crash, no sanitizer report": a bundle the reader accepts is consistent
// with itself. Every record it passed on has a 32-hex-digit id; their number is the header's and
// the trailer's count; the plaintext is exactly payload, signature and footer; and a signer it
// accepts is the trusted key. A rejection is a Status with a message.
#include <google/protobuf/stubs/logging.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <sstream>
#include <string>

#include "bundle/format.h"
#include "crypto/age.h"
#include "fuzz_common.h"

namespace {

constexpr char kAgeIntro[] = "age-encryption.org/v1\n";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tvault;
  fuzz::InitOrDie();
  // Invalid UTF-8 in a string field is refused by protobuf, which logs it: silenced for good.
  static const auto* silence = new google::protobuf::LogSilencer();
  (void)silence;
  static const OrgSecretKey* identity = new OrgSecretKey(fuzz::FuzzOrgKey());
  static const TrustedSigner* trusted =
      new TrustedSigner{fuzz::FuzzSignerKey().public_key(), "fuzz", "2026-01-01T00:00:00Z"};
  const std::string_view input = fuzz::AsText(data, size);

  std::istringstream file{std::string(input)};
  std::unique_ptr<internal::AgeReader> age;
  size_t offset = 0;
  internal::BundlePlainSource source;
  const bool whole_file = input.substr(0, std::strlen(kAgeIntro)) == kAgeIntro;
  if (whole_file) {
    auto opened = internal::AgeReader::Open(*identity, &file);
    if (!opened.ok()) {
      fuzz::Require(!opened.status().message().empty());
      return 0;
    }
    age = std::move(opened).value();
    source = [&age](char* buf, size_t n) { return age->Read(buf, n); };
  } else {
    // Short reads, as an age chunk boundary would make them, at a size the input chooses.
    const size_t step = size == 0 ? 1 : 1 + data[0] % 97;
    source = [&offset, data, size, step](char* buf, size_t n) -> Result<size_t> {
      const size_t take = std::min({n, step, size - offset});
      std::memcpy(buf, data + offset, take);
      offset += take;
      return take;
    };
  }

  uint64_t seen = 0;
  auto scan = internal::ScanBundlePlaintext(
      source,
      [&seen](const v1::BundleRecord& r, const std::string& hash, v1::Testimony*) -> Status {
        fuzz::Require(r.id().size() == 32 && hash.size() == 32);
        ++seen;
        return Status::Ok();
      },
      nullptr, "fuzz");
  if (!scan.ok()) {
    fuzz::Require(!scan.status().message().empty());
    return 0;
  }
  fuzz::Require(seen == scan->header.record_versions() && seen == scan->trailer.record_count());
  if (!whole_file) {
    fuzz::Require(scan->payload_bytes + scan->signature.size() + internal::kBundleFooterSize ==
                  size);
  }
  auto signer = internal::VerifyBundleSigner(*scan, {*trusted});
  if (signer.ok()) {
    fuzz::Require(signer->key.key_id() == trusted->key.key_id());
  } else {
    fuzz::Require(!signer.status().message().empty());
  }
  return 0;
}

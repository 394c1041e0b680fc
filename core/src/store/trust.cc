// The trust list: the monitors whose signed bundles this store accepts.
#include <sodium.h>

#include <cstring>

#include "store/store_impl.h"
#include "util/clock.h"

namespace tvault {

using internal::Stmt;

namespace {

// Names are shown in reports and written to the audit log, whose fields are tab-separated.
Status CheckSignerName(const std::string& name) {
  if (name.empty()) return InvalidArgument("--name: a trusted signer needs a name");
  if (name.size() > kMaxShortFieldBytes) {
    return InvalidArgument("--name: longer than " + std::to_string(kMaxShortFieldBytes) +
                           " bytes");
  }
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f) return InvalidArgument("--name: contains a control character");
  }
  return Status::Ok();
}

std::string KeyBytes(const SignerPublicKey& key) {
  return std::string(reinterpret_cast<const char*>(key.bytes().data()), key.bytes().size());
}

}  // namespace

Status Store::TrustSigner(const SignerPublicKey& key, const std::string& name) {
  TVAULT_RETURN_IF_ERROR(CheckSignerName(name));
  const std::string key_id = SignerKeyIdToHex(key.key_id());
  return impl_->Mutate([&](internal::LogWriter& log) -> Status {
    TVAULT_ASSIGN_OR_RETURN(
        Stmt dup, impl_->db.Prepare("SELECT name FROM trusted_signers WHERE key_id = ? OR "
                                    "name = ? OR public_key = ?"));
    dup.Bind(1, key_id).Bind(2, name).BindBlob(3, KeyBytes(key));
    TVAULT_ASSIGN_OR_RETURN(bool row, dup.Step());
    if (row) {
      return Status(Code::kAlreadyExists,
                    dup.Text(0) == name ? "a signer named \"" + name + "\" is already trusted"
                                        : "key " + key.KeyIdHex() +
                                              " is already trusted as \"" + dup.Text(0) + "\"");
    }
    TVAULT_ASSIGN_OR_RETURN(
        Stmt ins, impl_->db.Prepare("INSERT INTO trusted_signers(key_id, public_key, name, "
                                    "added_at) VALUES(?, ?, ?, ?)"));
    TVAULT_RETURN_IF_ERROR(ins.Bind(1, key_id)
                               .BindBlob(2, KeyBytes(key))
                               .Bind(3, name)
                               .Bind(4, internal::Rfc3339(internal::NowSeconds()))
                               .Run());
    return log.Append(impl_->Actor(), "trust-add", key_id, 0, internal::Sha256(KeyBytes(key)));
  });
}

Result<std::vector<TrustedSigner>> Store::TrustedSigners() {
  TVAULT_ASSIGN_OR_RETURN(
      Stmt st, impl_->db.Prepare("SELECT key_id, public_key, name, added_at FROM "
                                 "trusted_signers ORDER BY name"));
  std::vector<TrustedSigner> out;
  for (;;) {
    TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    const std::string id_hex = st.Text(0), pk = st.Blob(1);
    SignerKeyId id;
    std::array<uint8_t, kSignerPublicKeySize> bytes;
    size_t len = 0;
    if (pk.size() != bytes.size() ||
        sodium_hex2bin(id.data(), id.size(), id_hex.data(), id_hex.size(), nullptr, &len,
                       nullptr) != 0 ||
        len != id.size()) {
      return Damaged(std::string(internal::kDamagedMessage) + " (trusted signer " + id_hex + ")");
    }
    std::memcpy(bytes.data(), pk.data(), bytes.size());
    out.push_back(TrustedSigner{SignerPublicKey(id, bytes), st.Text(2), st.Text(3)});
  }
  return out;
}

Status Store::DistrustSigner(const std::string& name_or_key_id) {
  TVAULT_ASSIGN_OR_RETURN(std::vector<TrustedSigner> all, TrustedSigners());
  for (const TrustedSigner& s : all) {
    if (s.name != name_or_key_id && s.key.KeyIdHex() != name_or_key_id) continue;
    const std::string key_id = SignerKeyIdToHex(s.key.key_id());
    return impl_->Mutate([&](internal::LogWriter& log) -> Status {
      TVAULT_ASSIGN_OR_RETURN(Stmt del,
                              impl_->db.Prepare("DELETE FROM trusted_signers WHERE key_id = ?"));
      TVAULT_RETURN_IF_ERROR(del.Bind(1, key_id).Run());
      return log.Append(impl_->Actor(), "trust-remove", key_id, 0,
                        internal::Sha256(KeyBytes(s.key)));
    });
  }
  return NotFound("no trusted signer named or with key id \"" + name_or_key_id + "\"");
}

}  // namespace tvault

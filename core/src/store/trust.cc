// The trust list: the monitors whose signed bundles this store accepts.
#include <sodium.h>

#include <cstring>

#include "store/checkpoint.h"
#include "store/store_impl.h"
#include "store/trust.h"
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

namespace internal {

Result<std::string> StoreIdOfLogKey(const std::string& log_key) {
  // "tvault/store/<32 hex>+<8 hex>+<base64>", checked whole by parsing it as a verifier key.
  const size_t prefix = sizeof kCheckpointOriginPrefix - 1;
  const size_t plus = log_key.find('+');
  if (log_key.compare(0, prefix, kCheckpointOriginPrefix) != 0 || plus != prefix + 32 ||
      log_key.substr(prefix, 32).find_first_not_of("0123456789abcdef") != std::string::npos) {
    return InvalidArgument("--log-key: not a tvault store's audit-log key (expected the output "
                           "of `tvault log key`: tvault/store/<store id>+...)");
  }
  // An empty note: the key is parsed first, so a malformed key says so.
  Result<Checkpoint> probe = VerifyCheckpointNote("", log_key);
  if (probe.status().code() == Code::kInvalidArgument) {
    return InvalidArgument("--log-key: " + probe.status().message());
  }
  return log_key.substr(prefix, 32);
}

Status CheckAndBindSigner(Db& db, const TrustedSigner& signer, const std::string& store_id,
                          const std::string& log_key, bool bind, bool* bound_now) {
  const std::string who = "\"" + signer.name + "\" (key " + signer.key.KeyIdHex() + ")";
  if (!signer.store_id.empty()) {
    if (signer.store_id != store_id) {
      return InvalidArgument("the bundle claims store " + store_id + ", but its signer " + who +
                             " is bound to store " + signer.store_id +
                             ": refused (a monitor who started a new store is trusted again "
                             "with `tvault trust remove` and `tvault trust add`)");
    }
    if (signer.log_key != log_key) {
      return InvalidArgument("the bundle's audit-log key is not the one its signer " + who +
                             " is bound to: refused");
    }
    return Status::Ok();
  }
  TVAULT_ASSIGN_OR_RETURN(
      Stmt other, db.Prepare("SELECT name FROM trusted_signers WHERE key_id <> ? AND "
                             "(store_id = ? OR log_key = ?)"));
  other.Bind(1, SignerKeyIdToHex(signer.key.key_id())).Bind(2, store_id).Bind(3, log_key);
  TVAULT_ASSIGN_OR_RETURN(bool row, other.Step());
  if (row) {
    return InvalidArgument("the bundle signed by " + who + " claims store " + store_id +
                           " (or its audit-log key), which belongs to the trusted signer \"" +
                           other.Text(0) + "\": refused");
  }
  if (!bind) return Status::Ok();
  TVAULT_ASSIGN_OR_RETURN(
      Stmt up, db.Prepare("UPDATE trusted_signers SET store_id = ?, log_key = ?, bound_at = ? "
                          "WHERE key_id = ? AND store_id IS NULL"));
  TVAULT_RETURN_IF_ERROR(up.Bind(1, store_id)
                             .Bind(2, log_key)
                             .Bind(3, Rfc3339(NowSeconds()))
                             .Bind(4, SignerKeyIdToHex(signer.key.key_id()))
                             .Run());
  *bound_now = true;
  return Status::Ok();
}

}  // namespace internal

Status Store::TrustSigner(const SignerPublicKey& key, const std::string& name,
                          const std::string& log_key) {
  TVAULT_RETURN_IF_ERROR(CheckSignerName(name));
  std::string store_id;
  if (!log_key.empty()) {
    TVAULT_ASSIGN_OR_RETURN(store_id, internal::StoreIdOfLogKey(log_key));
  }
  const std::string key_id = SignerKeyIdToHex(key.key_id());
  return impl_->Mutate([&](internal::LogWriter& log) -> Status {
    if (!log_key.empty()) {
      TVAULT_ASSIGN_OR_RETURN(
          Stmt taken, impl_->db.Prepare("SELECT name FROM trusted_signers WHERE store_id = ? OR "
                                        "log_key = ?"));
      taken.Bind(1, store_id).Bind(2, log_key);
      TVAULT_ASSIGN_OR_RETURN(bool row, taken.Step());
      if (row) {
        return Status(Code::kAlreadyExists, "store " + store_id + " is already bound to the "
                                            "trusted signer \"" + taken.Text(0) + "\"");
      }
    }
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
                                    "added_at, store_id, log_key, bound_at) "
                                    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, CASE WHEN ?5 IS NULL THEN "
                                    "NULL ELSE ?4 END)"));
    const std::string now = internal::Rfc3339(internal::NowSeconds());
    ins.Bind(1, key_id).BindBlob(2, KeyBytes(key)).Bind(3, name).Bind(4, now);
    if (log_key.empty()) {
      ins.BindNull(5).BindNull(6);
    } else {
      ins.Bind(5, store_id).Bind(6, log_key);
    }
    TVAULT_RETURN_IF_ERROR(ins.Run());
    TVAULT_RETURN_IF_ERROR(
        log.Append(impl_->Actor(), "trust-add", key.KeyIdHex(), 0,
                   internal::Sha256(KeyBytes(key))));
    if (log_key.empty()) return Status::Ok();
    return log.Append(impl_->Actor(), "trust-bind", key.KeyIdHex(), 0, internal::Sha256(log_key));
  });
}

Result<std::vector<TrustedSigner>> Store::TrustedSigners() {
  TVAULT_ASSIGN_OR_RETURN(
      Stmt st, impl_->db.Prepare("SELECT key_id, public_key, name, added_at, "
                                 "COALESCE(store_id, ''), COALESCE(log_key, '') FROM "
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
    out.push_back(TrustedSigner{SignerPublicKey(id, bytes), st.Text(2), st.Text(3), st.Text(4),
                                st.Text(5)});
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
      return log.Append(impl_->Actor(), "trust-remove", s.key.KeyIdHex(), 0,
                        internal::Sha256(KeyBytes(s.key)));
    });
  }
  return NotFound("no trusted signer named or with key id \"" + name_or_key_id + "\"");
}

}  // namespace tvault

// Check 6, store (the full audit, with the store and the organisation key):
//
// 1. Recompute. A release (basis "release") cannot be rebuilt: the store's publication ledger
//    keeps every file of every release it published, and each file of the folder must be
//    byte-identical to the ledger's copy of the release of the same month and kind, none
//    missing or extra; the true counts are the ledger's. A report made before the release
//    basis is rebuilt from the store with the manifest's month and settings,
//    and report.json and every CSV must be byte-identical. report.html and manifest.json name
//    the analyst's key, which the auditor does not hold: they are rebuilt with the published
//    signer key id and must then be byte-identical too (so the manifest's counts, settings and
//    hashes are the store's). Signatures are not recomputed: check 1 verified them.
// 2. Scan. Every byte of every file of the folder (signatures included) is searched for every
//    identity value (name, phone, contact, date of birth: opened with the organisation key)
//    and every sentence of every narrative, of every version of every record, deleted ones
//    too; text is compared after Unicode NFKC, case folding and accent stripping, with
//    white space collapsed, as whole words. Every pseudonym of every version is searched as
//    raw bytes, hex (either case) and base64 (standard and URL-safe).
#include <sodium.h>
#include <utf8proc.h>

#include <algorithm>
#include <unordered_map>

#include "crypto/seal.h"
#include "pipeline/pseudonymise.h"
#include "report/report_internal.h"
#include "tvault/report.h"
#include "verify/verify_internal.h"

namespace tvault::verify_internal {
namespace {

// NFKC, case fold, accents stripped, HTML's five entities decoded, white space collapsed.
// Invalid UTF-8 is searched as it is (lower-cased ASCII).
std::string Fold(const std::string& in) {
  std::string s;
  for (size_t i = 0; i < in.size();) {
    static const std::pair<const char*, char> kEntities[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
    bool replaced = false;
    for (const auto& [e, c] : kEntities) {
      if (in.compare(i, std::strlen(e), e) == 0) {
        s.push_back(c);
        i += std::strlen(e);
        replaced = true;
        break;
      }
    }
    if (!replaced) s.push_back(in[i++]);
  }
  utf8proc_uint8_t* out = nullptr;
  const auto options = UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK |
                       UTF8PROC_STABLE | UTF8PROC_LUMP;
  const utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
                                          static_cast<utf8proc_ssize_t>(s.size()), &out,
                                          static_cast<utf8proc_option_t>(options));
  std::string folded;
  if (n >= 0) {
    folded.assign(reinterpret_cast<char*>(out), static_cast<size_t>(n));
    std::free(out);
  } else {
    folded = s;
    for (char& c : folded) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  std::string collapsed;
  for (char c : folded) {
    const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (space && (collapsed.empty() || collapsed.back() == ' ')) continue;
    collapsed.push_back(space ? ' ' : c);
  }
  while (!collapsed.empty() && collapsed.back() == ' ') collapsed.pop_back();
  return collapsed;
}

bool IsWordByte(char c) {
  const unsigned char u = static_cast<unsigned char>(c);
  return std::isalnum(u) || u >= 0x80;
}

// Trims non-word bytes from both ends, so a needle is matched as whole words.
std::string TrimToWords(const std::string& s) {
  size_t a = 0, b = s.size();
  while (a < b && !IsWordByte(s[a])) ++a;
  while (b > a && !IsWordByte(s[b - 1])) --b;
  return s.substr(a, b - a);
}

// A folded file with an index of where each word starts.
struct Haystack {
  std::string name;
  std::string text;
  std::unordered_map<std::string, std::vector<size_t>> words;

  Haystack(std::string n, const std::string& bytes) : name(std::move(n)), text(Fold(bytes)) {
    for (size_t i = 0; i < text.size();) {
      if (!IsWordByte(text[i])) {
        ++i;
        continue;
      }
      size_t j = i;
      while (j < text.size() && IsWordByte(text[j])) ++j;
      words[text.substr(i, j - i)].push_back(i);
      i = j;
    }
  }

  // Whether `needle` (folded, trimmed to words) occurs as whole words.
  bool Contains(const std::string& needle) const {
    size_t first_end = 0;
    while (first_end < needle.size() && IsWordByte(needle[first_end])) ++first_end;
    auto it = words.find(needle.substr(0, first_end));
    if (it == words.end()) return false;
    for (size_t pos : it->second) {
      if (text.compare(pos, needle.size(), needle) != 0) continue;
      const size_t end = pos + needle.size();
      if (end == text.size() || !IsWordByte(text[end])) return true;
    }
    return false;
  }
};

std::string Hex(const std::string& raw, bool upper) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string out;
  for (unsigned char b : raw) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 15]);
  }
  return out;
}

std::string Base64(const std::string& raw, bool url) {
  const char* a = url ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                      : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < raw.size(); i += 3) {
    const uint32_t v = (uint8_t(raw[i]) << 16) | (uint8_t(raw[i + 1]) << 8) | uint8_t(raw[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out.push_back(a[(v >> s) & 63]);
  }
  if (i < raw.size()) {  // the last one or two bytes, unpadded
    uint32_t v = uint8_t(raw[i]) << 16;
    if (i + 1 < raw.size()) v |= uint8_t(raw[i + 1]) << 8;
    out.push_back(a[(v >> 18) & 63]);
    out.push_back(a[(v >> 12) & 63]);
    if (i + 1 < raw.size()) out.push_back(a[(v >> 6) & 63]);
  }
  return out;
}

// Narrative sentences: split at . ! ? and line breaks; fragments shorter than this many bytes
// (after folding) are too common to be evidence of a leak ("Yes.", "No.").
constexpr size_t kMinSentenceBytes = 12;

std::vector<std::string> Sentences(const std::string& narrative) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : narrative) {
    if (c == '.' || c == '!' || c == '?' || c == '\n') {
      out.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  out.push_back(cur);
  return out;
}

Status Recompute(const Parsed& p, Store& store, const OrgSecretKey& org, VerifyCheck* check) {
  ReportRequest req;
  req.month = p.manifest.month();
  req.language = p.manifest.language();
  TVAULT_ASSIGN_OR_RETURN(req.settings, CompleteReportSettings(p.manifest.settings()));
  Result<BuiltReport> built = BuildReport(store, org, req);
  if (!built.ok()) {
    check->failures.push_back(
        {p.Name(kManifestFile), "", "",
         "the store does not give a report with these settings: " + built.status().message()});
    return Status::Ok();
  }
  TVAULT_ASSIGN_OR_RETURN(SignerSecretKey throwaway, SignerSecretKey::Generate());
  TVAULT_ASSIGN_OR_RETURN(std::vector<OutputFile> files, RenderReport(*built, throwaway));
  v1::Manifest manifest = built->manifest;
  manifest.set_signer_key_id(p.manifest.signer_key_id());
  size_t same = 0;
  for (const OutputFile& f : files) {
    if (f.name.find(kSignatureSuffix) != std::string::npos) continue;
    std::string expected = f.bytes;
    if (f.name == kReportHtmlFile) expected = report_internal::RenderHtml(built->report, manifest);
    if (f.name == kManifestFile) {
      TVAULT_ASSIGN_OR_RETURN(expected, CanonicalJson(manifest));
    } else {
      v1::ManifestFile* mf = manifest.add_files();
      mf->set_name(f.name);
      mf->set_sha256(HexSha256(expected));
    }
    auto it = p.folder->files.find(f.name);
    if (it == p.folder->files.end()) {
      check->failures.push_back({p.Name(f.name), "", "", "the store's report has it; missing"});
    } else if (it->second != expected) {
      check->failures.push_back(
          {p.Name(f.name), "", "",
           "differs from the report recomputed from the store" +
               std::string(f.name == kManifestFile && p.manifest.code_version() != TVAULT_VERSION
                               ? " (made by tvault " + p.manifest.code_version() +
                                     ", recomputed by " + TVAULT_VERSION + ")"
                               : "")});
    } else {
      ++same;
    }
  }
  check->notes.push_back("recomputed from the store: " + std::to_string(same) +
                         " files byte-identical");
  return Status::Ok();
}

}  // namespace

Status CheckLedgerCopy(const Parsed& p, Store& store, v1::LedgerRelease* found,
                       VerifyCheck* check) {
  const std::string& month = p.report.month();
  const std::string kind = p.report.kind();
  TVAULT_ASSIGN_OR_RETURN(std::vector<v1::LedgerRelease> releases,
                          store.Releases(month.substr(0, 4)));
  const v1::LedgerRelease* release = nullptr;
  for (const v1::LedgerRelease& r : releases) {
    if (r.month() == month && r.kind() == kind) release = &r;
  }
  if (release == nullptr) {
    check->failures.push_back({p.Name(kReportJsonFile), "", "",
                               "the store's publication ledger holds no " + kind +
                                   " release of " + month});
    return Status::Ok();
  }
  std::map<std::string, const std::string*> copy;
  for (const v1::LedgerFile& f : release->files()) copy[f.name()] = &f.bytes();
  size_t same = 0;
  for (const auto& [name, bytes] : p.folder->files) {
    auto it = copy.find(name);
    if (it == copy.end()) {
      check->failures.push_back(
          {p.Name(name), "", "", "not in the ledger's copy of the release (an extra file)"});
    } else if (*it->second != bytes) {
      check->failures.push_back(
          {p.Name(name), "", "", "differs from the ledger's copy of the release"});
    } else {
      ++same;
    }
  }
  for (const auto& [name, bytes] : copy) {
    if (p.folder->files.count(name) == 0) {
      check->failures.push_back({p.Name(name), "", "", "in the ledger's copy of the release; missing"});
    }
  }
  check->notes.push_back(p.folder->dir + ": " + std::to_string(same) + " of " +
                         std::to_string(copy.size()) +
                         " files byte-identical to the ledger's copy of the " + kind +
                         " release of " + month);
  if (found != nullptr) *found = *release;
  return Status::Ok();
}

Status CheckStore(const Parsed& p, Store& store, const OrgSecretKey& org,
                  std::map<std::string, int64_t>* true_values, VerifyCheck* check) {
  if (p.report.basis().empty()) {
    TVAULT_RETURN_IF_ERROR(Recompute(p, store, org, check));
    TVAULT_ASSIGN_OR_RETURN(v1::ReportSettings settings,
                            CompleteReportSettings(p.manifest.settings()));
    TVAULT_RETURN_IF_ERROR(TrueCounts(store, p.manifest.month(), settings, true_values));
  } else {
    // A release cannot be recomputed (the ledger refuses a second release of a month, and
    // its counts depend on what had arrived when it was made): it must be the ledger's copy,
    // and its true counts, and those of every release of its year, are the ledger's.
    TVAULT_RETURN_IF_ERROR(CheckLedgerCopy(p, store, nullptr, check));
    TVAULT_ASSIGN_OR_RETURN(std::vector<v1::LedgerRelease> releases,
                            store.Releases(p.report.month().substr(0, 4)));
    for (const v1::LedgerRelease& r : releases) {
      TVAULT_RETURN_IF_ERROR(LedgerTrueCounts(r, true_values));
    }
  }

  std::vector<Haystack> hay;
  for (const auto& [name, bytes] : p.folder->files) hay.emplace_back(p.Name(name), bytes);
  ListFilter all;
  all.include_deleted = true;
  TVAULT_ASSIGN_OR_RETURN(std::vector<RecordInfo> records, store.List(all));
  const SecretBytes pkey = pipeline::PseudonymKey(org);
  // Every sealed identity is opened below: logged first, as `reveal` is, so that no identity
  // is opened without a trace (issue 19, item 9). No entry, no opening.
  {
    auto manifest = p.folder->files.find("manifest.json");
    std::string hash;
    if (manifest != p.folder->files.end()) {
      hash.resize(crypto_hash_sha256_BYTES);
      crypto_hash_sha256(reinterpret_cast<unsigned char*>(hash.data()),
                         reinterpret_cast<const unsigned char*>(manifest->second.data()),
                         manifest->second.size());
    }
    TVAULT_RETURN_IF_ERROR(store.LogOpenIdentities(org, "verify " + p.manifest.month(), hash));
  }
  size_t values = 0, pseudonyms = 0;
  pipeline::PseudonymScratch scratch;  // one set of secure buffers for every identity
  for (const RecordInfo& info : records) {
    TVAULT_ASSIGN_OR_RETURN(std::vector<RecordVersion> versions, store.History(info.id));
    for (const RecordVersion& v : versions) {
      std::vector<std::pair<std::string, std::string>> needles;  // what, folded text
      for (const std::string& s : Sentences(v.testimony.narrative())) {
        std::string f = TrimToWords(Fold(s));
        if (f.size() >= kMinSentenceBytes) needles.push_back({"a narrative sentence", f});
      }
      const std::string& sealed = v.testimony.sealed_identity();
      if (!sealed.empty()) {
        TVAULT_ASSIGN_OR_RETURN(SecretBytes opened, internal::OpenSealed(org, sealed));
        v1::Identity id;
        if (!id.ParseFromArray(opened.data(), static_cast<int>(opened.size()))) {
          return Damaged("record " + info.id + ": the sealed identity does not parse");
        }
        for (const auto& [what, value] :
             {std::pair<const char*, std::string*>{"a name", id.mutable_name()},
              {"a phone number", id.mutable_phone()},
              {"a contact", id.mutable_contact()},
              {"a date of birth", id.mutable_date_of_birth()}}) {
          std::string f = TrimToWords(Fold(*value));
          if (f.size() >= 2) needles.push_back({what, f});
          sodium_memzero(value->data(), value->size());
        }
        TVAULT_ASSIGN_OR_RETURN(std::string pseudonym,
                                pipeline::PseudonymOfSealed(org, pkey, sealed, &scratch));
        if (!pseudonym.empty()) {
          ++pseudonyms;
          const std::string forms[] = {pseudonym, Hex(pseudonym, false), Hex(pseudonym, true),
                                       Base64(pseudonym, false), Base64(pseudonym, true)};
          for (const Haystack& h : hay) {
            const std::string& raw = p.folder->files.at(h.name.substr(p.folder->dir.size() + 1));
            for (const std::string& form : forms) {
              if (raw.find(form) != std::string::npos) {
                check->failures.push_back(
                    {h.name, "", "", "holds the pseudonym of record " + info.id});
                break;
              }
            }
          }
        }
      }
      values += needles.size();
      // The needles hold identity values: wiped when this version is done.
      struct Wiper {
        std::vector<std::pair<std::string, std::string>>* n;
        ~Wiper() {
          for (auto& [what, text] : *n) sodium_memzero(text.data(), text.size());
        }
      } wiper{&needles};
      for (const auto& [what, needle] : needles) {
        for (const Haystack& h : hay) {
          if (h.Contains(needle)) {
            // The value itself is not repeated in the message: the auditor's output may be
            // shared further than the store.
            check->failures.push_back({h.name, "", "",
                                       "holds " + std::string(what) + " of record " + info.id +
                                           " version " + std::to_string(v.info.version)});
          }
        }
      }
    }
  }
  // Reports never read attachments; their captions (stored readable, like narratives) must
  // not reach one either.
  for (const RecordInfo& info : records) {
    TVAULT_ASSIGN_OR_RETURN(std::vector<AttachmentInfo> attachments, store.Attachments(info.id));
    for (const AttachmentInfo& a : attachments) {
      for (const std::string& s : Sentences(a.caption)) {
        const std::string f = TrimToWords(Fold(s));
        if (f.size() < kMinSentenceBytes) continue;
        ++values;
        for (const Haystack& h : hay) {
          if (h.Contains(f)) {
            check->failures.push_back({h.name, "", "",
                                       "holds an attachment caption of record " + info.id +
                                           " (attachment " + std::to_string(a.number) + ")"});
          }
        }
      }
    }
  }
  check->notes.push_back("scanned " + std::to_string(hay.size()) + " files for " +
                         std::to_string(values) +
                         " identity values, narrative sentences and captions and " +
                         std::to_string(pseudonyms) + " pseudonyms of " +
                         std::to_string(records.size()) + " records");
  return Status::Ok();
}

}  // namespace tvault::verify_internal

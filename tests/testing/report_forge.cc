#include "testing/report_forge.h"

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <sodium.h>
#include <sys/stat.h>

#include "pipeline/tables.h"
#include "testing/test_util.h"

namespace tvault::testing {
namespace {

std::string Json(const google::protobuf::Message& m) {
  google::protobuf::util::JsonPrintOptions o;
  o.add_whitespace = true;
  o.preserve_proto_field_names = true;
  o.always_print_primitive_fields = true;
  std::string out;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(m, &out, o).ok());
  return out;
}

std::string Sha256Hex(const std::string& bytes) {
  uint8_t h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  std::string out;
  static const char kHex[] = "0123456789abcdef";
  for (uint8_t b : h) out += {kHex[b >> 4], kHex[b & 15]};
  return out;
}

template <typename M>
M Parse(const Folder& f, const std::string& name) {
  M m;
  auto it = f.find(name);
  EXPECT_TRUE(it != f.end()) << name;
  if (it != f.end()) {
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(it->second, &m).ok()) << name;
  }
  return m;
}

}  // namespace

Folder ToFolder(const std::vector<OutputFile>& files) {
  Folder f;
  for (const OutputFile& o : files) f[o.name] = o.bytes;
  return f;
}

void WriteFolder(const std::string& dir, const Folder& folder) {
  ::mkdir(dir.c_str(), 0755);
  for (const auto& [name, bytes] : folder) WriteFileOrDie(dir + "/" + name, bytes);
}

v1::Report ReportOf(const Folder& folder) { return Parse<v1::Report>(folder, kReportJsonFile); }
v1::Manifest ManifestOf(const Folder& folder) {
  return Parse<v1::Manifest>(folder, kManifestFile);
}

Folder Render(const v1::Report& report, const v1::Manifest& manifest,
              const SignerSecretKey& signer) {
  BuiltReport built;
  built.report = report;
  built.manifest = manifest;
  built.manifest.clear_files();
  built.manifest.clear_signer_key_id();
  Result<std::vector<OutputFile>> files = RenderReport(built, signer);
  EXPECT_TRUE(files.ok());
  return files.ok() ? ToFolder(*files) : Folder();
}

void Resign(Folder* folder, const std::string& name, const SignerSecretKey& signer,
            bool update_manifest) {
  const std::string month = ManifestOf(*folder).month();
  auto sign = [&](const std::string& file) {
    Result<std::string> sig =
        signer.Sign((*folder)[file], "tvault report " + month + " file:" + file);
    ASSERT_TRUE(sig.ok());
    (*folder)[file + kSignatureSuffix] = *sig;
  };
  sign(name);
  if (!update_manifest) return;
  v1::Manifest m = ManifestOf(*folder);
  for (v1::ManifestFile& f : *m.mutable_files()) {
    if (f.name() == name) f.set_sha256(Sha256Hex((*folder)[name]));
  }
  (*folder)[kManifestFile] = Json(m);
  sign(kManifestFile);
}

v1::ReportTable MakeTable(const std::string& name, const std::string& period, uint32_t k,
                          const std::vector<std::string>& rows,
                          const std::vector<std::string>& cols,
                          const std::vector<std::vector<uint32_t>>& counts,
                          const std::set<std::vector<std::string>>& suppressed) {
  const pipeline::TableSpec* spec = pipeline::FindTable(name);
  EXPECT_NE(spec, nullptr) << name;
  v1::ReportTable t;
  t.set_name(name);
  t.set_title(spec->title);
  t.set_unit(spec->unit == pipeline::Unit::kPeople ? "people" : "testimonies");
  t.set_period(period);
  for (const std::string& d : spec->dimensions) t.add_dimensions(d);
  t.set_k(k);
  auto add = [&](std::vector<std::string> labels, uint32_t v) {
    v1::ReportCell* c = t.add_cells();
    for (const std::string& l : labels) c->add_labels(l);
    if (suppressed.count(labels)) {
      c->set_suppressed(true);
    } else {
      c->set_count(v);
    }
  };
  if (cols.empty()) {
    uint32_t total = 0;
    for (size_t i = 0; i < rows.size(); ++i) {
      add({rows[i]}, counts[0][i]);
      total += counts[0][i];
    }
    add({"Total"}, total);
    return t;
  }
  std::vector<uint32_t> rt(rows.size()), ct(cols.size());
  uint32_t g = 0;
  for (size_t r = 0; r < rows.size(); ++r) {
    for (size_t c = 0; c < cols.size(); ++c) {
      add({rows[r], cols[c]}, counts[r][c]);
      rt[r] += counts[r][c];
      ct[c] += counts[r][c];
      g += counts[r][c];
    }
  }
  for (size_t r = 0; r < rows.size(); ++r) add({rows[r], "Total"}, rt[r]);
  for (size_t c = 0; c < cols.size(); ++c) add({"Total", cols[c]}, ct[c]);
  add({"Total", "Total"}, g);
  return t;
}

Forged MakeReport(const std::string& month, const std::vector<v1::ReportTable>& tables,
                  const std::string& checkpoint, const std::string& verifier_key) {
  Forged f;
  f.report.set_format(kReportFormat);
  f.report.set_month(month);
  f.report.set_year_to_date_from(month.substr(0, 4) + "-01");
  for (const v1::ReportTable& t : tables) *f.report.add_tables() = t;
  f.report.set_log_checkpoint(checkpoint);
  f.report.set_log_verifier_key(verifier_key);
  f.manifest.set_format(kManifestFormat);
  f.manifest.set_code_version(TVAULT_VERSION);
  f.manifest.set_month(month);
  f.manifest.set_language("en");  // format 2 names the language of report.html
  v1::ReportSettings s;
  for (const pipeline::TableSpec& spec : pipeline::TableCatalogue()) {
    for (const v1::ReportTable& t : tables) {
      if (t.name() == spec.name) {
        s.add_tables(spec.name);
        break;
      }
    }
  }
  *f.manifest.mutable_settings() = *CompleteReportSettings(s);
  return f;
}

}  // namespace tvault::testing

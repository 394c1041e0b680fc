// Helpers shared by the test suites: temporary directories, running the real tvault binary,
// and scanning files for leaked markers.
#ifndef TVAULT_TESTS_TESTING_TEST_UTIL_H_
#define TVAULT_TESTS_TESTING_TEST_UTIL_H_

#include <map>
#include <string>
#include <vector>

#include "tvault/keys.h"
#include "tvault/store.h"
#include "tvault/secret.h"
#include "tvault/v1/testimony.pb.h"

namespace tvault::testing {

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// The cheapest Argon2id parameters libsodium accepts: unit tests open many stores.
KdfParams FastKdf();

SecretBytes Pass(const std::string& s);

struct RunResult {
  int exit_code = -1;  // 128 + signal when killed
  std::string out;
  std::string err;
};

// Runs the tvault binary with `args`. `input` is its standard input; `fd3` is readable on file
// descriptor 3 (for --passphrase-fd 3). `env` entries "NAME=value" are added.
RunResult RunTvault(const std::vector<std::string>& args, const std::string& input = "",
                    const std::string& fd3 = "", const std::vector<std::string>& env = {});
// The same for any program: `argv[0]` is its absolute path.
RunResult RunProgram(const std::vector<std::string>& argv, const std::string& input = "",
                     const std::string& fd3 = "", const std::vector<std::string>& env = {});

// A valid pushback testimony as a monitor would enter it. `marker` goes into the narrative and
// every identity field (with a distinct suffix each), so leak tests can look for it.
tvault::v1::Testimony SamplePushback(const std::string& marker);
// A valid facility testimony about facility `facility_id`.
tvault::v1::Testimony SampleFacility(const std::string& facility_id, const std::string& marker);
tvault::v1::Facility SampleFacilityEntry(const std::string& id);

// Every regular file below `dir` (recursively), path -> bytes.
std::map<std::string, std::string> ReadTree(const std::string& dir);

std::string ReadFileOrDie(const std::string& path);
void WriteFileOrDie(const std::string& path, const std::string& data);

// The encodings a careless program might write `marker` in: plain bytes, UTF-16LE, UTF-16BE,
// and standard base64 at each of the three alignments (the marker's text appears inside a
// larger base64 string whatever its offset).
std::vector<std::string> MarkerEncodings(const std::string& marker);

// Names the first encoding of `marker` found in `bytes`, or "" when none is there.
std::string FindMarker(const std::string& bytes, const std::string& marker);

// The plaintext of the age file `bytes`, decrypted with `org` (a test failure when any of it
// does not open).
std::string AgeDecrypt(const OrgSecretKey& org, const std::string& bytes);

// Runs `sql` (statements separated by ';') on the database of the closed store at `dir`,
// opened with its passphrase: how a test writes what no public API can, e.g. a damaged row.
void ExecOnStoreOrDie(const std::string& dir, const SecretBytes& passphrase,
                      const std::string& sql);

// Every row of each of `tables` in the database of the closed store at `dir`, ordered by all
// its columns, one line per row, blobs in hex: for comparing two stores' content.
// SQL that undoes migration 9 (trust bindings, version_sources) on a store, for the tests
// that set user_version back to check that an older store is brought up to date. The tables
// it rebuilds keep their rows and stay valid for the earlier versions.
extern const char kUndoMigration9Sql[];
// SQL that undoes migration 10 (attachments): run before kUndoMigration9Sql.
extern const char kUndoMigration10Sql[];

std::string DumpStoreTables(const std::string& dir, const SecretBytes& passphrase,
                            const std::vector<std::string>& tables);

// Runs `sql` with the stock `sqlcipher` shell on the store in `dir`, keyed with the raw
// database key unwrapped from its store.key with `passphrase` (an independent reader of the
// file). Returns what the shell printed, stderr included.
std::string RunSqlcipher(const std::string& dir, const std::string& passphrase,
                         const std::string& sql);

// Fails the test unless Store::ScanForReport over every month gives, for each record List
// shows as not deleted, exactly the report view of its latest stored version, in (incident
// month, id) order: the report_facts table agrees with the bodies. Derives pseudonyms first.
void ExpectReportFactsMatchBodies(Store& store, const OrgSecretKey& org);

}  // namespace tvault::testing

#endif  // TVAULT_TESTS_TESTING_TEST_UTIL_H_

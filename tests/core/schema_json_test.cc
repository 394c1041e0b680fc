// Tests of the JSON reader and writer in tvault/schema.h (ParseTestimoniesJson,
// ParseFacilitiesJson, MessageToJson) and of the example files under docs/examples/.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "tvault/schema.h"

namespace {

using tvault::FieldError;
using tvault::ValidationContext;
namespace v1 = tvault::v1;

ValidationContext Ctx() {
  ValidationContext ctx;
  ctx.today = "2026-11-25";
  ctx.facility_exists = [](std::string_view id) { return id == "HR-DET-01"; };
  return ctx;
}

std::string Dump(const std::vector<FieldError>& errors) {
  return errors.empty() ? "(no errors)" : tvault::FormatFieldErrors(errors);
}

testing::AssertionResult HasError(const std::vector<FieldError>& errors, const std::string& field,
                                  const std::string& part) {
  for (const FieldError& e : errors) {
    if (e.field == field && e.message.find(part) != std::string::npos) {
      return testing::AssertionSuccess();
    }
  }
  return testing::AssertionFailure() << "no error on " << field << " containing \"" << part
                                     << "\"; got: " << Dump(errors);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The status message of a failed parse, or "(ok)".
template <typename T>
std::string ErrorOf(const tvault::Result<T>& r) {
  if (r.ok()) return "(ok)";
  EXPECT_EQ(r.status().code(), tvault::Code::kInvalidArgument);
  return r.status().message();
}

testing::AssertionResult Contains(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return testing::AssertionSuccess();
  return testing::AssertionFailure() << "\"" << text << "\" does not contain \"" << part << "\"";
}

constexpr char kRecordA[] =
    R"({"kind": "PUSHBACK", "pushback": {"incident_date": "2026-10-01", "group_size": 3}})";
constexpr char kRecordB[] = R"({"kind": "FACILITY", "facility": {"facility_id": "HR-DET-01"}})";

TEST(ParseTestimoniesJsonTest, JsonLinesWithBlankLinesAndCrLf) {
  const std::string text = std::string("\n") + kRecordA + "\r\n  \r\n" + kRecordB + "\n\n";
  auto r = tvault::ParseTestimoniesJson(text);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].where, "record 1 (line 2)");
  EXPECT_EQ((*r)[0].testimony.pushback().group_size(), 3u);
  EXPECT_EQ((*r)[1].where, "record 2 (line 4)");
  EXPECT_EQ((*r)[1].testimony.facility().facility_id(), "HR-DET-01");
}

TEST(ParseTestimoniesJsonTest, ArrayElementsKnowTheirLines) {
  const std::string text = std::string("\n[\n  ") + kRecordA + ",\n\n  {\n  \"kind\": \"FACILITY\"\n}\n]\n";
  auto r = tvault::ParseTestimoniesJson(text);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].where, "record 1 (line 3)");
  EXPECT_EQ((*r)[1].where, "record 2 (line 5)");
  EXPECT_EQ((*r)[1].testimony.kind(), v1::FACILITY);
  // Strings holding brackets, commas, quotes and escapes do not confuse the splitter.
  auto tricky = tvault::ParseTestimoniesJson(
      R"([{"narrative": "a ] b } c [ d { \" e \\", "kind": "PUSHBACK"}, {"narrative": "\\"}])");
  ASSERT_TRUE(tricky.ok()) << tricky.status().message();
  ASSERT_EQ(tricky->size(), 2u);
  EXPECT_EQ((*tricky)[0].testimony.narrative(), "a ] b } c [ d { \" e \\");
  EXPECT_EQ((*tricky)[1].testimony.narrative(), "\\");
}

TEST(ParseTestimoniesJsonTest, ErrorsNameRecordLineAndField) {
  const std::string array = std::string("[\n") + kRecordA + ",\n\n" +
                            R"({"pushback": {"group_size": "abc"}})" + "\n]";
  EXPECT_EQ(ErrorOf(tvault::ParseTestimoniesJson(array)),
            "record 2 (line 4): pushback.group_size: invalid value \"abc\" for type TYPE_UINT32");
  const std::string lines = std::string(kRecordA) + "\n\n" + R"({"kind": "PUSHBAK"})" + "\n";
  EXPECT_EQ(ErrorOf(tvault::ParseTestimoniesJson(lines)),
            "record 2 (line 3): kind: invalid value \"PUSHBAK\" for type tvault.v1.Kind");
}

TEST(ParseTestimoniesJsonTest, TypeErrorsAreExplained) {
  EXPECT_EQ(ErrorOf(tvault::ParseTestimoniesJson(R"({"recorded_at": "yesterday"})")),
            "record 1 (line 1): recorded_at: invalid value for type google.protobuf.Timestamp "
            "(RFC 3339, e.g. \"2026-10-19T15:40:00Z\")");
  EXPECT_TRUE(Contains(ErrorOf(tvault::ParseTestimoniesJson(
                           R"({"pushback": {"ages": [{"years": 3, "band": "AGE_0_13"}]}})")),
                       "record 1 (line 1): pushback.ages[0]: sets more than one field of a oneof"));
  EXPECT_EQ(ErrorOf(tvault::ParseTestimoniesJson(R"({"pushback": {"group_size": -1}})")),
            "record 1 (line 1): pushback.group_size: invalid value -1 for type TYPE_UINT32");
}

TEST(ParseTestimoniesJsonTest, UnknownFieldsAreRejected) {
  EXPECT_EQ(ErrorOf(tvault::ParseTestimoniesJson(R"({"kind": "PUSHBACK", "bogus": 1})")),
            "record 1 (line 1): unknown field \"bogus\"");
  EXPECT_EQ(ErrorOf(tvault::ParseTestimoniesJson(
                R"({"pushback": {"nationalities": [{"country": "AF", "cnt": 2}]}})")),
            "record 1 (line 1): pushback.nationalities[0]: unknown field \"cnt\"");
}

TEST(ParseTestimoniesJsonTest, AcceptsLowerCamelNamesAndEnumNumbers) {
  auto r = tvault::ParseTestimoniesJson(
      R"({"kind": 1, "pushback": {"groupSize": 4, "pushedFrom": "HR", "minorsInvolved": "NO"}})");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ((*r)[0].testimony.kind(), v1::PUSHBACK);
  EXPECT_EQ((*r)[0].testimony.pushback().group_size(), 4u);
  EXPECT_EQ((*r)[0].testimony.pushback().minors_involved(), v1::NO);
  // An undeclared enum number parses (proto3 enums are open) and validation refuses it.
  auto odd = tvault::ParseTestimoniesJson(R"({"kind": 99})");
  ASSERT_TRUE(odd.ok()) << odd.status().message();
  EXPECT_TRUE(HasError(tvault::ValidateTestimony((*odd)[0].testimony, Ctx()), "kind",
                       "99 is not a value of Kind"));
}

TEST(ParseTestimoniesJsonTest, DuplicateKeysAreRejected) {
  EXPECT_TRUE(Contains(ErrorOf(tvault::ParseTestimoniesJson(
                           R"({"kind": "PUSHBACK", "kind": "FACILITY"})")),
                       "record 1 (line 1): the object has the key \"kind\" twice"));
  EXPECT_TRUE(Contains(ErrorOf(tvault::ParseTestimoniesJson(
                           R"({"pushback": {"group_size": 2, "groupSize": 3}})")),
                       "has the key \"groupSize\" twice"));
  // The same key in sibling objects is no duplicate.
  EXPECT_TRUE(tvault::ParseTestimoniesJson(
                  R"({"pushback": {"ages": [{"years": 1}, {"years": 2}]}})").ok());
}

TEST(ParseTestimoniesJsonTest, DeepNestingIsRejected) {
  std::string deep = "{\"narrative\": ";
  for (int i = 0; i < 100; ++i) deep += "[";
  for (int i = 0; i < 100; ++i) deep += "]";
  deep += "}";
  EXPECT_TRUE(Contains(ErrorOf(tvault::ParseTestimoniesJson(deep)),
                       "record 1 (line 1): the object is nested deeper than 64 levels"));
  EXPECT_TRUE(Contains(ErrorOf(tvault::ParseTestimoniesJson("[\n" + deep + "]")),
                       "record 1 (line 2): the object is nested deeper than 64"));
  // A million unclosed brackets stop at the depth limit rather than exhausting memory.
  EXPECT_TRUE(Contains(ErrorOf(tvault::ParseTestimoniesJson("[{\"a\":" + std::string(1 << 20, '['))),
                       "nested deeper than 64"));
}

TEST(ParseTestimoniesJsonTest, TruncatedAndMalformedArraysAreRejected) {
  const std::string a = kRecordA;
  EXPECT_TRUE(Contains(ErrorOf(tvault::ParseTestimoniesJson("[" + a)), "truncated after record 1"));
  EXPECT_TRUE(Contains(ErrorOf(tvault::ParseTestimoniesJson("[" + a + ",\n")),
                       "record 2 (line 2): the array is truncated"));
  EXPECT_TRUE(Contains(ErrorOf(tvault::ParseTestimoniesJson("[\n{\"kind\": \"PUSH")),
                       "record 1 (line 2): the object has an unterminated string"));
  EXPECT_TRUE(Contains(ErrorOf(tvault::ParseTestimoniesJson("[\n{\"kind\":\n\"PUSHBACK\"")),
                       "record 1 (line 2): the object is truncated"));
  EXPECT_TRUE(Contains(ErrorOf(tvault::ParseTestimoniesJson("[" + a + ",]")), "trailing ','"));
  EXPECT_TRUE(Contains(ErrorOf(tvault::ParseTestimoniesJson("[" + a + " " + a + "]")),
                       "expected ',' or ']' after record 1"));
  EXPECT_TRUE(Contains(ErrorOf(tvault::ParseTestimoniesJson("[" + a + "]\n{}")),
                       "unexpected text after the array (line 2)"));
  EXPECT_TRUE(Contains(ErrorOf(tvault::ParseTestimoniesJson("[" + a + ", 42]")),
                       "record 2 (line 1): expected a JSON object"));
  EXPECT_TRUE(Contains(ErrorOf(tvault::ParseTestimoniesJson("[{\"kind\": [}]")),
                       "has an unexpected '}'"));
}

TEST(ParseTestimoniesJsonTest, EmptyInputHasNoRecords) {
  for (const char* text : {"", "  \n\n\t", "[]", " [ \n ] ", "\xEF\xBB\xBF\n"}) {
    EXPECT_EQ(ErrorOf(tvault::ParseTestimoniesJson(text)), "no records found") << text;
  }
}

TEST(ParseTestimoniesJsonTest, InvalidUtf8IsRejected) {
  const std::string bad = "{\"narrative\": \"Secret \xFF text\"}";
  const std::string message = ErrorOf(tvault::ParseTestimoniesJson("\n" + bad));
  EXPECT_TRUE(Contains(message, "record 1 (line 2): the object is not valid UTF-8"));
  EXPECT_EQ(message.find("Secret"), std::string::npos);
  EXPECT_TRUE(Contains(ErrorOf(tvault::ParseTestimoniesJson("[{\"narrative\": \"\xC0\x80\"}]")),
                       "not valid UTF-8"));
  // A byte order mark is tolerated; real UTF-8 text passes.
  auto r = tvault::ParseTestimoniesJson("\xEF\xBB\xBF{\"narrative\": \"\xC5\xBE\xD8\xA7\"}");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ((*r)[0].testimony.narrative(), "\xC5\xBE\xD8\xA7");
}

TEST(ParseTestimoniesJsonTest, OversizedRecordIsRejected) {
  const std::string big = "{\"narrative\": \"" + std::string(tvault::kMaxJsonRecordBytes, 'x') + "\"}";
  EXPECT_TRUE(Contains(ErrorOf(tvault::ParseTestimoniesJson(big)), "limit of 1048576 bytes"));
  EXPECT_TRUE(Contains(ErrorOf(tvault::ParseTestimoniesJson("[" + big + "]")),
                       "record 1 (line 1): the object is larger than the limit"));
  EXPECT_TRUE(Contains(ErrorOf(tvault::ParseTestimoniesJson(std::string(kRecordA) + "\n" + big)),
                       "record 2 (line 2)"));
}

TEST(ParseTestimoniesJsonTest, ErrorsNeverEchoInput) {
  // A syntax error: protobuf's own message would quote the line.
  std::string m = ErrorOf(tvault::ParseTestimoniesJson(
      R"({"narrative": "Secret story", "kind": PUSHBACK})"));
  EXPECT_TRUE(Contains(m, "record 1 (line 1): invalid JSON: "));
  EXPECT_EQ(m.find("Secret"), std::string::npos) << m;
  EXPECT_EQ(m.find('\n'), std::string::npos) << m;
  // A number where identity text belongs: the value may be a phone number.
  m = ErrorOf(tvault::ParseTestimoniesJson(R"({"identity": {"phone": 38591234567}})"));
  EXPECT_TRUE(Contains(m, "identity.phone: invalid value for type"));
  EXPECT_EQ(m.find("38591234567"), std::string::npos) << m;
  // A long value in a non-secret field is described, not quoted.
  m = ErrorOf(tvault::ParseTestimoniesJson(
      R"({"pushback": {"group_size": "fourteen people, I think, maybe more"}})"));
  EXPECT_EQ(m.find("people"), std::string::npos) << m;
}

TEST(ParseTestimoniesJsonTest, SingleMultiLineObject) {
  auto r = tvault::ParseTestimoniesJson("\n{\n  \"kind\": \"PUSHBACK\",\n  \"narrative\": \"x\"\n}\n");
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].where, "record 1 (line 2)");
  // Two pretty-printed objects are neither JSON lines nor one object.
  EXPECT_TRUE(Contains(ErrorOf(tvault::ParseTestimoniesJson("{\n\"kind\": 1\n}\n{\n\"kind\": 2\n}")),
                       "record 1 (line 1): an object spread over several lines must be the only"));
  // A broken multi-line object names the line of the problem.
  EXPECT_TRUE(Contains(ErrorOf(tvault::ParseTestimoniesJson("{\n\"kind\": 1,\n\"kind\": 2\n}")),
                       "record 1 (line 1): the object has the key \"kind\" twice (line 3)"));
  // A text that is not JSON at all.
  EXPECT_TRUE(Contains(ErrorOf(tvault::ParseTestimoniesJson("kind: PUSHBACK")),
                       "record 1 (line 1): expected a JSON object"));
}

TEST(ParseFacilitiesJsonTest, ParsesLinesAndArrays) {
  const char* lines =
      R"({"id": "HR-DET-01", "name": "Example centre", "country": "HR", "type": "DETENTION"})"
      "\n"
      R"({"id": "BA-REC-02", "name": "Example camp", "country": "BA", "type": "RECEPTION"})";
  auto r = tvault::ParseFacilitiesJson(lines);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[1].id(), "BA-REC-02");
  EXPECT_EQ((*r)[1].type(), v1::RECEPTION);
  for (const v1::Facility& f : *r) EXPECT_EQ(Dump(tvault::ValidateFacility(f)), "(no errors)");
  auto a = tvault::ParseFacilitiesJson(std::string("[") + lines + "]");
  EXPECT_EQ(ErrorOf(a), "expected ',' or ']' after record 1 (line 2)");
  EXPECT_EQ(ErrorOf(tvault::ParseFacilitiesJson("[\n{\"id\": \"X1\", \"kind\": 2}]")),
            "record 1 (line 2): unknown field \"kind\"");
  EXPECT_EQ(ErrorOf(tvault::ParseFacilitiesJson("")), "no records found");
}

TEST(MessageToJsonTest, RoundTripsWithSnakeCaseNames) {
  auto example =
      tvault::ParseTestimoniesJson(ReadFile(TVAULT_SOURCE_DIR "/docs/examples/pushback.json"));
  ASSERT_TRUE(example.ok()) << example.status().message();
  const v1::Testimony t = (*example)[0].testimony;
  const std::string line = tvault::MessageToJson(t, /*pretty=*/false);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_TRUE(Contains(line, "\"group_size\":14"));
  EXPECT_TRUE(Contains(line, "\"minors_involved\":\"YES\""));
  EXPECT_EQ(line.find("women_count"), std::string::npos);  // Defaults are left out.
  const std::string pretty = tvault::MessageToJson(t, /*pretty=*/true);
  EXPECT_NE(pretty.find('\n'), std::string::npos);
  EXPECT_NE(pretty.back(), '\n');
  for (const std::string& text : {line, pretty, line + "\n" + line}) {
    auto r = tvault::ParseTestimoniesJson(text);
    ASSERT_TRUE(r.ok()) << r.status().message();
    for (const tvault::InputRecord& in : *r) {
      EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(in.testimony, t));
    }
  }
}

TEST(DocsExamplesTest, PushbackExampleParsesAndValidates) {
  auto r = tvault::ParseTestimoniesJson(ReadFile(TVAULT_SOURCE_DIR "/docs/examples/pushback.json"));
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->size(), 1u);
  const v1::Testimony& t = (*r)[0].testimony;
  EXPECT_EQ(Dump(tvault::ValidateTestimony(t, Ctx())), "(no errors)");
  EXPECT_EQ(t.kind(), v1::PUSHBACK);
  EXPECT_FALSE(t.narrative().empty());
  EXPECT_FALSE(t.identity().name().empty());
  EXPECT_FALSE(t.identity().phone().empty());
  EXPECT_FALSE(t.identity().contact().empty());
  EXPECT_EQ(t.pushback().pushed_from(), "HR");
  EXPECT_EQ(t.pushback().pushed_to(), "BA");
  EXPECT_EQ(t.pushback().group_size(), 14u);
  EXPECT_EQ(t.pushback().nationalities_size(), 3);
  EXPECT_EQ(t.pushback().asylum_intention_expressed(), v1::YES);
  EXPECT_EQ(t.pushback().asylum_request_ignored(), v1::YES);
}

TEST(DocsExamplesTest, FacilityExampleParsesAndValidates) {
  auto r = tvault::ParseTestimoniesJson(ReadFile(TVAULT_SOURCE_DIR "/docs/examples/facility.json"));
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->size(), 1u);
  const v1::Testimony& t = (*r)[0].testimony;
  EXPECT_EQ(Dump(tvault::ValidateTestimony(t, Ctx())), "(no errors)");
  EXPECT_EQ(t.kind(), v1::FACILITY);
  EXPECT_EQ(t.facility().facility_id(), "HR-DET-01");
  EXPECT_EQ(t.facility().stay_kind(), v1::STAY);
  EXPECT_GT(t.facility().conditions_size(), 0);
  EXPECT_FALSE(t.identity().name().empty());
}

}  // namespace

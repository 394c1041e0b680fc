// Status and Result<T>: how every fallible core/ call reports failure. The library never
// throws across its API and never ends the process; the CLI maps a Code to an exit code
// (docs/cli.md lists them).
#ifndef TVAULT_STATUS_H_
#define TVAULT_STATUS_H_

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace tvault {

enum class Code {
  kOk = 0,
  kInvalidArgument,   // the caller's input is wrong (a field, a record, a flag)
  kWrongPassphrase,   // the passphrase does not unwrap the key
  kDamaged,           // a file was altered, truncated or is not what it claims to be
  kNotFound,          // a store, record or facility that does not exist
  kAlreadyExists,     // refusing to overwrite something
  kIoError,           // the operating system refused (disk full, read-only, permissions)
  kUnsupported,       // a format or environment this build cannot handle
  kInternal,          // a bug: an invariant of tvault itself failed
  kCancelled,         // the user stopped an interactive operation
};

// The message names what was wrong (file, record, field) and never contains a secret.
class Status {
 public:
  Status() = default;
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // Returns a copy with `context + ": "` put before the message, so a low-level failure can
  // name the file or record it happened in.
  Status WithContext(const std::string& context) const {
    if (ok()) return *this;
    return Status(code_, context + ": " + message_);
  }

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

inline Status InvalidArgument(std::string m) { return Status(Code::kInvalidArgument, std::move(m)); }
inline Status Damaged(std::string m) { return Status(Code::kDamaged, std::move(m)); }
inline Status NotFound(std::string m) { return Status(Code::kNotFound, std::move(m)); }
inline Status IoError(std::string m) { return Status(Code::kIoError, std::move(m)); }
inline Status Internal(std::string m) { return Status(Code::kInternal, std::move(m)); }

// Either a value or a non-OK Status.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    assert(!status_.ok());
  }

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }

  // REQUIRES: ok().
  T& value() & { assert(ok()); return *value_; }
  const T& value() const& { assert(ok()); return *value_; }
  // Returns by value so that `*MakeResult()` in a range-for never dangles.
  T value() && { assert(ok()); return std::move(*value_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T operator*() && { return std::move(*this).value(); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace tvault

// Returns from the enclosing function when `expr` (a Status) is not OK.
#define TVAULT_RETURN_IF_ERROR(expr)          \
  do {                                        \
    ::tvault::Status tvault_st_ = (expr);     \
    if (!tvault_st_.ok()) return tvault_st_;  \
  } while (0)

#define TVAULT_CONCAT_INNER_(a, b) a##b
#define TVAULT_CONCAT_(a, b) TVAULT_CONCAT_INNER_(a, b)

// `TVAULT_ASSIGN_OR_RETURN(auto x, MakeX());` declares x from a Result or returns its Status.
#define TVAULT_ASSIGN_OR_RETURN(lhs, rexpr) \
  TVAULT_ASSIGN_OR_RETURN_IMPL_(TVAULT_CONCAT_(tvault_r_, __LINE__), lhs, rexpr)
#define TVAULT_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                                  \
  if (!tmp.ok()) return tmp.status();                  \
  lhs = std::move(tmp).value()

#endif  // TVAULT_STATUS_H_

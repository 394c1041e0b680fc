// Schema migrations of the store database. The database's PRAGMA user_version is the number
// of migrations applied; each migration runs in its own transaction.
#ifndef TVAULT_STORE_MIGRATIONS_H_
#define TVAULT_STORE_MIGRATIONS_H_

#include "store/db.h"

namespace tvault::internal {

// The user_version this build writes. A store with a larger one was made by a newer tvault.
int CurrentDbVersion();

// Applies every migration the database has not had yet. kUnsupported when the store is
// newer than this build.
Status Migrate(Db& db);

}  // namespace tvault::internal

#endif  // TVAULT_STORE_MIGRATIONS_H_

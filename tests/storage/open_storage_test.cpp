// Storage URLs: which backend each scheme reaches, the errors of the ones it cannot, and URLs in
// messages never showing a password.
#include <catch2/catch.hpp>

#include "core/errors.h"
#include "storage/storage.h"

using namespace boex;

TEST_CASE("unknown storage URLs are rejected with the accepted forms and no password", "[open_storage]") {
  CHECK_THROWS_AS(open_storage("mysql://root:hunter2@db/lab"), InvalidArgument);
  CHECK_THROWS_WITH(open_storage("mysql://root:hunter2@db/lab"),
                    Catch::Matchers::Contains("sqlite:///") && Catch::Matchers::Contains("postgresql://") &&
                        !Catch::Matchers::Contains("hunter2"));
  CHECK_THROWS_AS(open_storage("sqlite:///"), InvalidArgument);
}

TEST_CASE("masked_url hides passwords in the user part and in parameters, and nothing else", "[open_storage]") {
  CHECK(masked_url("postgresql://boex:s3cret@db.lab:5432/studies") == "postgresql://boex:***@db.lab:5432/studies");
  CHECK(masked_url("postgres://boex:p%40ss@10.0.0.2/studies?sslmode=require") ==
        "postgres://boex:***@10.0.0.2/studies?sslmode=require");
  CHECK(masked_url("postgresql://boex@db/studies?password=s3cret&connect_timeout=3") ==
        "postgresql://boex@db/studies?password=***&connect_timeout=3");
  CHECK(masked_url("postgresql://db:5432/studies") == "postgresql://db:5432/studies");
  CHECK(masked_url("sqlite:///lab/data.db") == "sqlite:///lab/data.db");
}

#ifndef BOEX_WITH_POSTGRES
TEST_CASE("without libpqxx, postgresql URLs fail saying the build lacks PostgreSQL", "[open_storage]") {
  for (const char* url : {"postgresql://boex:pw@127.0.0.1:5432/lab", "postgres://127.0.0.1/lab"})
    CHECK_THROWS_WITH(open_storage(url), Catch::Matchers::Contains("no PostgreSQL storage") &&
                                             Catch::Matchers::Contains("libpqxx"));
}
#endif

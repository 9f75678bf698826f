// Sequence parameters: encoding by site embeddings, decoding, validation of user values and of
// the space JSON, and the sites view that combinatorial optimisers play on.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>

#include "core/errors.h"
#include "core/json_io.h"
#include "core/search_space.h"
#include "core/sites.h"

using namespace boex;
using Catch::Matchers::Contains;

TEST_CASE("a one-hot sequence encodes one block per site and decodes back", "[sequence]") {
  const SearchSpace space({Parameter::Sequence("seq", 3, "ACGT"), Parameter::Categorical("salt", {"low", "high"})});
  REQUIRE(space.dimension() == 3 * 4 + 2);
  const Params p = {{"seq", std::string("GTA")}, {"salt", std::string("high")}};
  const Eigen::VectorXd x = space.encode(p);
  CHECK(x.segment(0, 4) == Eigen::Vector4d(0, 0, 1, 0));
  CHECK(x.segment(4, 4) == Eigen::Vector4d(0, 0, 0, 1));
  CHECK(x.segment(8, 4) == Eigen::Vector4d(1, 0, 0, 0));
  CHECK(space.decode(x) == p);
  const Sites sites(space);
  REQUIRE(sites.size() == 4);  // three positions and the categorical
  CHECK(sites.profile(x) == std::vector<int>{2, 3, 0, 1});
  CHECK(sites.point(sites.profile(x)) == x);
  CHECK(sites.total_choices() == 3 * 4 + 2 + 1);
}

TEST_CASE("a malformed sequence, a letter outside the alphabet and a wrong length are refused", "[sequence]") {
  const SearchSpace space({Parameter::Sequence("seq", 4)});
  CHECK_NOTHROW(space.validate({{"seq", std::string("VDGV")}}));
  CHECK_THROWS_WITH(space.validate({{"seq", std::string("VDG")}}), Contains("3 letters") && Contains("4 sites"));
  CHECK_THROWS_WITH(space.validate({{"seq", std::string("VDGB")}}), Contains("'B'") && Contains("site 4"));
  CHECK_THROWS_AS(space.validate({{"seq", 3.0}}), InvalidArgument);
  CHECK_THROWS_AS(space_from_json_text(R"({"parameters": [{"name": "s", "type": "sequence", "length": 0}]})"),
                  InvalidArgument);
  CHECK_THROWS_WITH(space_from_json_text(R"({"parameters": [{"name": "s", "type": "sequence", "length": 2, "alphabet": "AA"}]})"),
                    Contains("twice"));
}

TEST_CASE("sequence spaces round-trip through JSON with their embedding", "[sequence][json]") {
  for (const char* embedding : {R"("onehot")", R"("blosum62")", R"({"table": {"A": [1, 0.5], "C": [0, 2], "G": [3, 1]}})"}) {
    INFO(embedding);
    const std::string alphabet = std::string(embedding).find("table") != std::string::npos ? "ACG" : "ACDEFGHIKLMNPQRSTVWY";
    const std::string text = std::string(R"({"parameters": [{"name": "s", "type": "sequence", "length": 2, "alphabet": ")") +
                             alphabet + R"(", "embedding": )" + embedding + "}]}";
    const SearchSpace space = space_from_json_text(text);
    CHECK(space_from_json(space_to_json(space)) == space);
    // Every letter pair decodes back to itself, whatever the embedding's width.
    for (char a : alphabet) {
      const Params p = {{"s", std::string{a, alphabet.back()}}};
      CHECK(space.decode(space.encode(p)) == p);
    }
  }
}

TEST_CASE("Sobol designs of a sequence space use every letter at every site", "[sequence]") {
  const SearchSpace space({Parameter::Sequence("s", 2, kAminoAcids, SiteEmbedding::blosum62())});
  const Eigen::MatrixXd X = space.sobol(400, 3);
  std::set<char> first, second;
  for (Eigen::Index i = 0; i < X.rows(); ++i) {
    const std::string s = std::get<std::string>(space.decode(X.row(i).transpose()).at("s"));
    first.insert(s[0]);
    second.insert(s[1]);
  }
  CHECK(first.size() == 20);
  CHECK(second.size() == 20);
}

#include "storage/copy_study.h"

#include "core/errors.h"

namespace boex {

std::vector<CopiedStudy> copy_studies(Storage& from, Storage& to, const std::string& name) {
  std::vector<StudyRecord> chosen;
  for (StudyRecord& s : from.studies())
    if (name.empty() || s.name == name) chosen.push_back(std::move(s));
  if (!name.empty() && chosen.empty()) throw NotFound("no study named '" + name + "' to copy");
  // Every name is checked before anything is written, so a refused copy leaves `to` as it was.
  for (const StudyRecord& s : chosen)
    if (to.find_study(s.name))
      throw StateError("the destination already holds a study named '" + s.name + "'; nothing was copied");
  std::vector<CopiedStudy> out;
  for (const StudyRecord& s : chosen) {
    const std::vector<StoredTrial> trials = from.stored_trials(s.id);
    to.import_study(s, trials, from.candidates(s.id));
    out.push_back({s.name, static_cast<std::int64_t>(trials.size())});
  }
  return out;
}

}  // namespace boex

#include "storage/copy_study.h"

#include "core/errors.h"
#include "core/utf8.h"

namespace boex {

std::vector<CopiedStudy> copy_studies(Storage& from, Storage& to, const std::string& name) {
  std::vector<StudyRecord> chosen;
  if (!name.empty()) {
    std::optional<StudyRecord> found = from.find_study(name);  // StorageError for an unreadable one
    if (!found) throw NotFound("no study named '" + printable(name) + "' to copy");
    chosen.push_back(std::move(*found));
  } else {
    // Copying "every study" must not silently leave one behind: name the unreadable ones, so
    // the others can be copied one by one.
    std::string unreadable;
    for (StudyListing& s : from.studies()) {
      if (s.readable())
        chosen.push_back(std::move(s.record));
      else
        unreadable += (unreadable.empty() ? "" : "; ") + ("'" + printable(s.record.name) + "': " + s.problem);
    }
    if (!unreadable.empty())
      throw StorageError("some studies cannot be read, so nothing was copied (copy the others with --study): " +
                         unreadable);
  }
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

#include "surrogates/pfn_options.h"

#include <dlfcn.h>
#include <sys/stat.h>

#include <cstdlib>
#include <vector>

#include "core/errors.h"

namespace boex {
namespace {

bool is_file(const std::string& path) {
  struct stat info;
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// The directory of the binary holding this code (the plugin, or a program linked with boex):
// an installed, relocated prefix is found from there.
std::string own_directory() {
  Dl_info info;
  if (dladdr(reinterpret_cast<void*>(&own_directory), &info) == 0 || !info.dli_fname) return "";
  const std::string file = info.dli_fname;
  const auto slash = file.find_last_of('/');
  return slash == std::string::npos ? "." : file.substr(0, slash);
}

}  // namespace

Capabilities pfn_capabilities() {
  Capabilities c;
  c.distribution = true;
  return c;
}

void PfnSurrogateOptions::validate() const {
  if (checkpoint.empty()) throw InvalidArgument("PfnSurrogateOptions::checkpoint must name a checkpoint or a file");
  if (output_transform != "yeo-johnson" && output_transform != "standardize")
    throw InvalidArgument("PfnSurrogateOptions::output_transform must be 'yeo-johnson' or 'standardize', not '" +
                          output_transform + "'");
}

std::string pfn_checkpoint_file(const std::string& name_or_path) {
  if (name_or_path.find('/') != std::string::npos || ends_with(name_or_path, ".boexpfn")) {
    if (!is_file(name_or_path)) throw NotFound("PFN checkpoint file '" + name_or_path + "' does not exist");
    return name_or_path;
  }
  std::vector<std::string> directories;
  if (const char* dir = std::getenv("BOEX_PFN_MODELS"); dir && *dir) directories.push_back(dir);
  // prefix/bin/boex and prefix/lib/boex/libboex_torch.so both reach prefix/share/boex/models.
  if (const std::string own = own_directory(); !own.empty())
    for (const char* up : {"/../share/boex/models", "/../../share/boex/models"}) directories.push_back(own + up);
#ifdef BOEX_PFN_MODELS_INSTALLED
  directories.push_back(BOEX_PFN_MODELS_INSTALLED);
#endif
#ifdef BOEX_PFN_MODELS_SOURCE
  directories.push_back(BOEX_PFN_MODELS_SOURCE);
#endif
  std::string looked;
  for (const std::string& dir : directories) {
    const std::string path = dir + "/" + name_or_path + ".boexpfn";
    if (is_file(path)) return path;
    looked += (looked.empty() ? "" : ", ") + path;
  }
  throw NotFound("PFN checkpoint '" + name_or_path + "' not found (looked at " + (looked.empty() ? "nothing" : looked) +
                 "); set BOEX_PFN_MODELS to the directory holding " + name_or_path + ".boexpfn");
}

}  // namespace boex

#include "benchmarks/page_open.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/errors.h"

extern char** environ;

namespace boex::bench {
namespace {

using Clock = std::chrono::steady_clock;

double epoch_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Waits in the page for its own marks and answers them as one JSON text. The times are wall-clock
// milliseconds (performance.timeOrigin + now), comparable with the launch time taken here.
constexpr const char* kMeasure = R"(new Promise(function (resolve) {
  var now = function () { return performance.timeOrigin + performance.now(); };
  var opened = null;
  (function poll() {
    var root = document.getElementById('boex-report');
    if (location.protocol !== 'file:' || !root) { setTimeout(poll, 5); return; }
    if (opened === null) {
      if (window.boexOpened) { opened = -1; window.boexOpened.then(function (t) { opened = t; }); }
      else if (root.getAttribute('data-rendered') === 'true') {
        opened = -1;
        requestAnimationFrame(function () { setTimeout(function () { opened = now(); }, 0); });
      }
    }
    var rendered = root.getAttribute('data-rendered');
    if (opened > 0 && rendered) {
      resolve(JSON.stringify({ navigation: performance.timeOrigin, opened: opened, rendered: rendered,
                               all: performance.timeOrigin + Number(root.getAttribute('data-render-ms')),
                               errors: (window.boexErrors || []).length }));
      return;
    }
    setTimeout(poll, 5);
  })();
}))";

// One Chromium under --remote-debugging-pipe: it reads commands on its fd 3 and writes answers
// and events on its fd 4, each a JSON text ended by a NUL byte.
class Browser {
 public:
  Browser(const std::string& binary, const std::string& url, const PageOpenOptions& options) {
    int to[2], from[2];
    if (::pipe2(to, O_CLOEXEC) != 0 || ::pipe2(from, O_CLOEXEC) != 0)
      throw StateError(std::string("cannot make pipes for chromium: ") + std::strerror(errno));
    profile_ = (std::filesystem::temp_directory_path() / ("boex-chromium-" + std::to_string(::getpid()))).string();
    const std::vector<std::string> argv = {
        binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage",
        "--hide-scrollbars", "--remote-debugging-pipe", "--user-data-dir=" + profile_,
        "--window-size=" + std::to_string(options.width) + "," + std::to_string(options.height), url};
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    // The pipes' own descriptors are above 4 (0-2 are taken), so dup2 never meets itself.
    posix_spawn_file_actions_adddup2(&actions, to[0], 3);
    posix_spawn_file_actions_adddup2(&actions, from[1], 4);
    launched_ms_ = epoch_ms();
    const int rc = ::posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(to[0]);
    ::close(from[1]);
    write_ = to[1];
    read_ = from[0];
    if (rc != 0) {
      pid_ = -1;
      throw StateError("cannot start " + binary + ": " + std::strerror(rc));
    }
  }
  Browser(const Browser&) = delete;
  Browser& operator=(const Browser&) = delete;
  ~Browser() {
    if (write_ >= 0) ::close(write_);
    if (read_ >= 0) ::close(read_);
    if (pid_ > 0) {
      // Closed pipes make Chromium quit; give it a moment before insisting.
      int status = 0;
      for (int i = 0; i < 100 && ::waitpid(pid_, &status, WNOHANG) == 0; ++i) ::usleep(20000);
      if (::waitpid(pid_, &status, WNOHANG) == 0) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
      }
    }
    std::error_code ignored;
    std::filesystem::remove_all(profile_, ignored);
  }

  double launched_ms() const { return launched_ms_; }

  // Sends a command and returns its answer (events in between are dropped).
  nlohmann::json call(const std::string& method, const nlohmann::json& params, const std::string& session,
                      Clock::time_point deadline) {
    nlohmann::json message = {{"id", ++id_}, {"method", method}, {"params", params}};
    if (!session.empty()) message["sessionId"] = session;
    const std::string text = message.dump() + '\0';
    for (std::size_t sent = 0; sent < text.size();) {
      const ssize_t n = ::write(write_, text.data() + sent, text.size() - sent);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw StateError("chromium closed its DevTools pipe");
      sent += static_cast<std::size_t>(n);
    }
    for (;;) {
      nlohmann::json answer = nlohmann::json::parse(next_message(deadline));
      if (answer.contains("id") && answer["id"] == id_) return answer;
    }
  }

 private:
  std::string next_message(Clock::time_point deadline) {
    for (;;) {
      const std::size_t end = buffer_.find('\0');
      if (end != std::string::npos) {
        std::string message = buffer_.substr(0, end);
        buffer_.erase(0, end + 1);
        return message;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) throw StateError("the page did not finish drawing in time");
      pollfd p{read_, POLLIN, 0};
      const int ready = ::poll(&p, 1, static_cast<int>(left));
      if (ready < 0 && errno == EINTR) continue;
      if (ready <= 0) continue;
      char chunk[65536];
      const ssize_t n = ::read(read_, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw StateError("chromium closed its DevTools pipe (did it crash?)");
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
  }

  pid_t pid_ = -1;
  int write_ = -1, read_ = -1;
  int id_ = 0;
  double launched_ms_ = 0.0;
  std::string buffer_, profile_;
};

}  // namespace

PageOpen open_page(const std::string& chromium, const std::string& page, const PageOpenOptions& options) {
  if (options.width < 1 || options.height < 1) throw InvalidArgument("PageOpenOptions::width and height must be positive");
  if (!(options.timeout_s > 0.0)) throw InvalidArgument("PageOpenOptions::timeout_s must be positive");
  const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options.timeout_s));
  Browser browser(chromium, "file://" + std::filesystem::absolute(page).string(), options);
  // The tab opened for the URL on the command line: it may take a moment to be listed.
  std::string target;
  while (target.empty()) {
    const nlohmann::json targets = browser.call("Target.getTargets", nlohmann::json::object(), "", deadline);
    for (const auto& info : targets["result"]["targetInfos"])
      if (info["type"] == "page") target = info["targetId"];
    if (target.empty()) ::usleep(10000);
  }
  const nlohmann::json attached =
      browser.call("Target.attachToTarget", {{"targetId", target}, {"flatten", true}}, "", deadline);
  if (!attached.contains("result")) throw StateError("cannot attach to chromium's tab: " + attached.dump());
  const std::string session = attached["result"]["sessionId"];
  // An evaluation that lands in the blank document before the navigation is cut off by it: ask again.
  nlohmann::json marks;
  while (marks.is_null()) {
    const nlohmann::json answer = browser.call(
        "Runtime.evaluate", {{"expression", kMeasure}, {"awaitPromise", true}, {"returnByValue", true}}, session, deadline);
    if (answer.contains("result") && !answer["result"].contains("exceptionDetails") &&
        answer["result"]["result"].contains("value"))
      marks = nlohmann::json::parse(answer["result"]["result"]["value"].get<std::string>());
    else
      ::usleep(10000);
  }
  if (marks["rendered"] != "true") throw StateError("the page reports that drawing failed");
  const double start = browser.launched_ms();
  PageOpen result;
  result.navigation_s = (marks["navigation"].get<double>() - start) / 1000.0;
  result.opened_s = (marks["opened"].get<double>() - start) / 1000.0;
  result.all_drawn_s = (marks["all"].get<double>() - start) / 1000.0;
  result.errors = marks["errors"].get<int>();
  return result;
}

}  // namespace boex::bench

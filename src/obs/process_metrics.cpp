#include "obs/process_metrics.hpp"

#include <dirent.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>

namespace authd::obs {

namespace {

double resident_bytes() {
  long pages = 0, resident = 0;
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  const int read = std::fscanf(f, "%ld %ld", &pages, &resident);
  std::fclose(f);
  return read == 2 ? static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) : 0;
}

double open_fds() {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return 0;
  double n = 0;
  while (const dirent* e = readdir(dir))
    if (e->d_name[0] != '.') ++n;
  closedir(dir);
  return n - 1;  // the directory's own descriptor
}

double seconds_of(const timeval& t) {
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
}

}  // namespace

void register_process_metrics(registry& r) {
  r.add("process_cpu_seconds_total", "User and system CPU time spent, in seconds.", metric_type::counter,
        [](sample_writer& w) {
          rusage usage{};
          getrusage(RUSAGE_SELF, &usage);
          w.value({}, seconds_of(usage.ru_utime) + seconds_of(usage.ru_stime));
        });
  r.add_gauge("process_resident_memory_bytes", "Resident memory size, in bytes.", resident_bytes);
  r.add_gauge("process_open_fds", "Open file descriptors.", open_fds);
  r.add_gauge("process_max_fds", "The limit on open file descriptors.", [] {
    rlimit limit{};
    getrlimit(RLIMIT_NOFILE, &limit);
    return static_cast<double>(limit.rlim_cur);
  });
  // Registered at start-up, which is close enough to the process's start for a restart detector.
  const double started =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  r.add_gauge("process_start_time_seconds", "When the process started, in seconds since the Unix epoch.",
              [started] { return started; });
}

}  // namespace authd::obs

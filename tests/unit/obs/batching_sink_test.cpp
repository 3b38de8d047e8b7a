// The batching log sink: every line arrives whole and in order, flush() and stop() write
// synchronously, warn is written without a flush, and a full buffer drops and reports lines.
#include "obs/batching_sink.hpp"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "obs/logging.hpp"
#include "output_capture.hpp"

namespace authd::obs {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

// Long enough that nothing in these tests is written because of the timer.
constexpr std::chrono::milliseconds never{std::chrono::hours(1)};
// How long to wait for something that should happen without a flush (generous: slow CI, ASan).
constexpr auto deadline = std::chrono::seconds(30);

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// A pipe whose read end is drained into a string by a thread once start() is called.
class pipe_capture {
 public:
  pipe_capture() {
    int fds[2];
    if (::pipe(fds) != 0) std::abort();
    read_fd_ = fds[0];
    write_fd_ = fds[1];
  }
  ~pipe_capture() {
    if (write_fd_ >= 0) ::close(write_fd_);
    if (reader_.joinable()) reader_.join();
    ::close(read_fd_);
  }
  int fd() const { return write_fd_; }

  // Fills the pipe to the brim, so that the next blocking write waits for the reader.
  std::size_t fill() {
    const int flags = ::fcntl(write_fd_, F_GETFL);
    ::fcntl(write_fd_, F_SETFL, flags | O_NONBLOCK);
    std::size_t filled = 0;
    const std::string page(4096, '#');
    for (std::size_t chunk : {page.size(), std::size_t{1}})
      while (::write(write_fd_, page.data(), chunk) == static_cast<ssize_t>(chunk)) filled += chunk;
    ::fcntl(write_fd_, F_SETFL, flags);
    return filled;
  }

  void start() {
    reader_ = std::thread([this] {
      char buf[65536];
      for (;;) {
        const ssize_t n = ::read(read_fd_, buf, sizeof buf);
        if (n > 0)
          data_.append(buf, static_cast<std::size_t>(n));
        else if (n < 0 && errno == EINTR)
          continue;
        else
          break;
      }
    });
  }

  // Closes the write end (the sink must be stopped) and returns everything read.
  std::string finish() {
    ::close(write_fd_);
    write_fd_ = -1;
    if (reader_.joinable()) reader_.join();
    return data_;
  }

 private:
  int read_fd_ = -1;
  int write_fd_ = -1;
  std::thread reader_;
  std::string data_;
};

// An unlinked temporary file, read back through its descriptor without moving its offset.

bool eventually(const std::function<bool()>& condition) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

std::shared_ptr<spdlog::logger> logger_over(const std::shared_ptr<batching_sink>& sink) {
  auto logger = std::make_shared<spdlog::logger>("test", sink);
  logger->set_pattern("%v");
  logger->set_level(spdlog::level::trace);
  return logger;
}

TEST(batching_sink, lines_from_many_threads_arrive_whole_and_in_order_per_thread) {
  pipe_capture out;
  out.start();
  // A small threshold and interval: many batches, written while the threads are logging.
  auto sink = std::make_shared<batching_sink>(
      batching_sink_options{.fd = out.fd(), .wake_bytes = 4096, .interval = std::chrono::milliseconds(1)});
  auto logger = logger_over(sink);

  constexpr int thread_count = 4;
  constexpr int per_thread = 5000;
  std::vector<std::thread> threads;
  for (int t = 0; t < thread_count; ++t)
    threads.emplace_back([&, t] {
      // Lines of varying length, so a torn or interleaved line cannot look whole.
      for (int i = 0; i < per_thread; ++i)
        logger->info("t{} n{} {}", t, i, std::string(i % 97, static_cast<char>('a' + t)));
    });
  for (auto& thread : threads) thread.join();
  sink->stop();
  const auto lines = lines_of(out.finish());

  ASSERT_EQ(lines.size(), std::size_t{thread_count * per_thread});
  std::map<int, int> next;
  const std::regex shape(R"(t(\d+) n(\d+) ([a-z]*))");
  for (const auto& line : lines) {
    std::smatch m;
    ASSERT_TRUE(std::regex_match(line, m, shape)) << line;
    const int t = std::stoi(m[1]);
    const int i = std::stoi(m[2]);
    ASSERT_EQ(i, next[t]++) << "thread " << t << " out of order";
    EXPECT_EQ(m[3].str(), std::string(i % 97, static_cast<char>('a' + t))) << line;
  }
  for (int t = 0; t < thread_count; ++t) EXPECT_EQ(next[t], per_thread);
  EXPECT_EQ(sink->dropped_lines(), 0u);
}

TEST(batching_sink, info_waits_for_the_batch_and_flush_writes_it_synchronously) {
  temp_file out;
  auto sink = std::make_shared<batching_sink>(batching_sink_options{.fd = out.fd(), .interval = never});
  auto logger = logger_over(sink);

  logger->info("first");
  logger->debug("second");
  // Neither the timer nor the size threshold can have woken the writer.
  EXPECT_EQ(out.contents(), "");
  logger->flush();
  EXPECT_EQ(out.contents(), "first\nsecond\n");
  logger->info("third");
  logger->flush();
  EXPECT_EQ(out.contents(), "first\nsecond\nthird\n");
}

TEST(batching_sink, warn_is_written_without_a_flush) {
  temp_file out;
  auto sink = std::make_shared<batching_sink>(batching_sink_options{.fd = out.fd(), .interval = never});
  auto logger = logger_over(sink);

  logger->info("before");
  logger->warn("careful");
  EXPECT_TRUE(eventually([&] { return out.contents() == "before\ncareful\n"; })) << out.contents();
  logger->info("quiet");
  logger->error("failed");
  EXPECT_TRUE(eventually([&] { return out.contents() == "before\ncareful\nquiet\nfailed\n"; }))
      << out.contents();
}

TEST(batching_sink, size_threshold_wakes_the_writer) {
  temp_file out;
  auto sink = std::make_shared<batching_sink>(
      batching_sink_options{.fd = out.fd(), .wake_bytes = 1000, .interval = never});
  auto logger = logger_over(sink);

  for (int i = 0; i < 20; ++i) logger->info("{:099d}", i);  // 100 bytes a line: crosses 1000
  EXPECT_TRUE(eventually([&] { return out.contents().size() >= 1000; }));
  sink->stop();
  EXPECT_EQ(lines_of(out.contents()).size(), 20u);
}

TEST(batching_sink, a_full_buffer_drops_lines_and_reports_them) {
  pipe_capture out;
  ASSERT_GT(out.fill(), 0u);  // the writer's first write blocks until the reader starts
  auto sink =
      std::make_shared<batching_sink>(batching_sink_options{.fd = out.fd(),
                                                            .max_pending_bytes = 4096,
                                                            .wake_bytes = 1024,
                                                            .interval = std::chrono::milliseconds(1)});
  auto logger = logger_over(sink);

  constexpr int total = 1000;
  for (int i = 0; i < total; ++i) logger->info("line {:04d} {}", i, std::string(40, 'x'));
  // At most two buffers' worth fit (one blocked in write, one pending); the logger never waited.
  // (A report may come before later lines: the writer may have taken the buffer after a drop.)
  const auto dropped = sink->dropped_lines();
  EXPECT_GT(dropped, 0u);

  out.start();
  logger->flush();
  logger->info("after");
  sink->stop();
  const auto lines = lines_of(out.finish());

  std::uint64_t kept = 0;
  std::uint64_t reported = 0;
  int last = -1;
  bool seen_after = false;
  const std::regex line_shape(R"(line (\d{4}) x{40})");
  const std::regex report_shape(R"((\d+) log lines dropped)");
  for (const auto& line : lines) {
    std::smatch m;
    if (line.find_first_not_of('#') == std::string::npos) continue;  // the filler
    const auto filler_end = line.find_first_not_of('#');
    const std::string text = line.substr(filler_end);
    ASSERT_FALSE(seen_after) << "a line after the last one: " << text;
    if (std::regex_match(text, m, line_shape)) {
      const int i = std::stoi(m[1]);
      EXPECT_GT(i, last);
      last = i;
      ++kept;
    } else if (std::regex_match(text, m, report_shape)) {
      reported += std::stoull(m[1]);
    } else {
      ASSERT_EQ(text, "after");
      seen_after = true;
    }
  }
  EXPECT_TRUE(seen_after);
  EXPECT_EQ(reported, dropped);
  EXPECT_EQ(kept + dropped, std::uint64_t{total});
  EXPECT_EQ(sink->dropped_lines(), dropped);
}

TEST(batching_sink, stop_writes_everything_and_later_lines_are_written_directly) {
  temp_file out;
  auto sink = std::make_shared<batching_sink>(batching_sink_options{.fd = out.fd(), .interval = never});
  auto logger = logger_over(sink);

  logger->info("one");
  logger->info("two");
  sink->stop();
  EXPECT_EQ(out.contents(), "one\ntwo\n");
  logger->info("three");
  EXPECT_EQ(out.contents(), "one\ntwo\nthree\n");
  logger->flush();
  sink->stop();
  EXPECT_EQ(out.contents(), "one\ntwo\nthree\n");
}

TEST(batching_sink, destruction_writes_everything) {
  temp_file out;
  {
    auto logger = logger_over(
        std::make_shared<batching_sink>(batching_sink_options{.fd = out.fd(), .interval = never}));
    logger->info("pending");
  }
  EXPECT_EQ(out.contents(), "pending\n");
}

TEST(logging, text_lines_reach_stderr_on_flush_and_shutdown) {
  stderr_capture err;
  setup_logging(log_format::text, 2);
  spdlog::debug("not at info");
  spdlog::info("listening on http://127.0.0.1:1");
  spdlog::default_logger()->flush();
  const auto flushed = err.contents();
  EXPECT_THAT(flushed, MatchesRegex(R"(....-..-..T..:..:..\.......Z info  listening on http://127\.0\.0\.1:1)"
                                    "\n"));
  spdlog::info("last words");
  shutdown_logging();
  const auto all = err.contents();
  EXPECT_EQ(all.substr(0, flushed.size()), flushed);
  EXPECT_THAT(all.substr(flushed.size()), MatchesRegex(R"(....-..-..T..:..:..\.......Z info  last words)"
                                                       "\n"));
  EXPECT_THAT(all, Not(HasSubstr("not at info")));
}

TEST(logging, json_lines_and_prompt_warnings) {
  stderr_capture err;
  setup_logging(log_format::json, 2);
  spdlog::warn("say \"hi\"");
  EXPECT_TRUE(eventually([&] { return !err.contents().empty(); }));
  shutdown_logging();
  EXPECT_THAT(err.contents(), MatchesRegex(R"(\{"time":"....-..-..T..:..:..\.......Z","level":"warning",)"
                                           R"("message":"say \\"hi\\""\})"
                                           "\n"));
}

}  // namespace
}  // namespace authd::obs

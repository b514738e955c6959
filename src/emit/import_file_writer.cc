#include "loader/emit/import_file_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace loader {

ImportFileWriter::~ImportFileWriter() {
  if (fd_ >= 0) ::close(fd_);
}

Status ImportFileWriter::Open(const std::string& dir, const std::string& name, uint64_t first_row) {
  path_ = dir + "/" + name;
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) return Status::IoError("cannot create " + path_ + ": " + std::strerror(errno));
  file_ = ImportFile{};
  file_.name = name;
  file_.first_row = first_row;
  sha_ = Sha256();
  return Status::OK();
}

Status ImportFileWriter::Append(std::string_view csv, uint64_t rows) {
  sha_.Update(csv);
  while (!csv.empty()) {
    const ssize_t n = ::write(fd_, csv.data(), csv.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::IoError("cannot write " + path_ + ": " + std::strerror(errno));
    csv.remove_prefix(static_cast<size_t>(n));
    file_.bytes += static_cast<uint64_t>(n);
  }
  file_.rows += rows;
  return Status::OK();
}

Status ImportFileWriter::Close(ImportFile* file) {
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0)
    return Status::IoError("cannot write " + path_ + ": " + std::strerror(errno));
  file_.sha256 = sha_.HexDigest();
  *file = std::move(file_);
  return Status::OK();
}

}  // namespace loader

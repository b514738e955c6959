#ifndef LOADER_VERSION_H_
#define LOADER_VERSION_H_

namespace loader {

inline constexpr char kLoaderVersion[] = "0.1.0";

}  // namespace loader

#endif  // LOADER_VERSION_H_

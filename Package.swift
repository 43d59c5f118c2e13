// swift-tools-version:6.1
import PackageDescription

let package = Package(
  name: "zhaocai",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "zhaocai", targets: ["zhaocai"]),
    .library(name: "ZhaocaiCrypto", targets: ["ZhaocaiCrypto"]),
    .library(name: "ZhaocaiDomain", targets: ["ZhaocaiDomain"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
    .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
  ],
  targets: [
    // The national algorithms (SM2/SM3/SM4) and the reference throughput come from the system
    // OpenSSL 3 libcrypto; swift-crypto's BoringSSL has neither.
    .systemLibrary(
      name: "COpenSSL",
      pkgConfig: "libcrypto",
      providers: [.apt(["libssl-dev"])]
    ),
    // Pure rules and state machines: no I/O, no framework imports.
    .target(name: "ZhaocaiDomain"),
    .target(
      name: "ZhaocaiCrypto",
      dependencies: [
        "COpenSSL",
        .product(name: "Crypto", package: "swift-crypto"),
      ]
    ),
    .executableTarget(
      name: "zhaocai",
      dependencies: [
        "COpenSSL",
        "ZhaocaiCrypto",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .testTarget(
      name: "ZhaocaiCryptoTests",
      dependencies: ["ZhaocaiCrypto"]
    ),
    .testTarget(name: "ZhaocaiDomainTests", dependencies: ["ZhaocaiDomain"]),
    // Runs the built `zhaocai` binary as a user would; it needs no module of ours.
    .testTarget(name: "CommandTests"),
  ],
  swiftLanguageModes: [.v6]
)

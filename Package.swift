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
    .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
    .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
    .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
    // Only for its pool's error type (which operations the store answers as the server lost).
    .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
    .package(url: "https://github.com/apple/swift-openapi-generator.git", from: "1.14.3"),
    .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.4"),
    .package(
      url: "https://github.com/hummingbird-project/swift-openapi-hummingbird.git", from: "2.1.0"),
    .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
    .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
    .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
    .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
    .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
    .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    .package(
      url: "https://github.com/swift-server/swift-openapi-async-http-client.git", from: "1.5.0"),
    .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
  ],
  targets: [
    // The national algorithms (SM2/SM3/SM4) and the reference throughput come from the system
    // OpenSSL 3 libcrypto; swift-crypto's BoringSSL has neither.
    .systemLibrary(
      name: "COpenSSL",
      pkgConfig: "libcrypto",
      providers: [.apt(["libssl-dev"])]
    ),
    // Opened .docx and .xlsx files and PDF streams are DEFLATE data, inflated by the system zlib.
    .systemLibrary(
      name: "CZlib",
      pkgConfig: "zlib",
      providers: [.apt(["zlib1g-dev"])]
    ),
    // Pure rules and state machines: no I/O, no framework imports.
    .target(name: "ZhaocaiDomain"),
    .target(
      name: "ZhaocaiCrypto",
      dependencies: [
        "COpenSSL",
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "X509", package: "swift-certificates"),
        .product(name: "SwiftASN1", package: "swift-asn1"),
      ]
    ),
    // Price screens, the collusion model and its evaluation, the 条例40 signs among a section's
    // opened bids and the reading of their files: computation over what the platform holds.
    .target(
      name: "ZhaocaiAnalytics",
      dependencies: [
        "CZlib",
        "ZhaocaiDomain",
        .product(name: "Crypto", package: "swift-crypto"),
      ],
      resources: [.copy("Resources")]
    ),
    // The storage every platform shares, on SQLite or PostgreSQL: the store and its transactions,
    // the migrator, the persisted Merkle log and the outbox. Each platform's tables and
    // repositories live with that platform.
    .target(
      name: "ZhaocaiStore",
      dependencies: [
        "ZhaocaiCrypto",
        "ZhaocaiDomain",
        .product(name: "SQLKit", package: "sql-kit"),
        .product(name: "SQLiteKit", package: "sqlite-kit"),
        .product(name: "PostgresKit", package: "postgres-kit"),
        .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
      ]
    ),
    // Messages between platforms: signed, sequenced, applied once and in order, and the wire
    // types they carry (docs/EXCHANGE.md).
    .target(
      name: "ZhaocaiExchange",
      dependencies: [
        "ZhaocaiCrypto", "ZhaocaiDomain", "ZhaocaiStore",
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "SQLKit", package: "sql-kit"),
        .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client"),
      ]
    ),
    // What the three platforms' HTTP APIs share: problem+json refusals, the request context.
    .target(
      name: "ZhaocaiWeb",
      dependencies: [
        "ZhaocaiCrypto", "ZhaocaiDomain", "ZhaocaiExchange", "ZhaocaiStore",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "SQLKit", package: "sql-kit"),
        .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Prometheus", package: "swift-prometheus"),
        .product(name: "Mustache", package: "swift-mustache"),
      ],
      // The pages' shared layout, stylesheet and English phrases, served by every platform.
      resources: [.copy("Pages/Templates"), .copy("Pages/Static")]
    ),
    // Typed client of the hub, generated from openapi/exchange.yaml (cannot drift from the server).
    .target(
      name: "HubClient",
      dependencies: [
        "ZhaocaiCrypto", "ZhaocaiDomain", "ZhaocaiExchange",
        .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
      ],
      plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
    ),
    // Typed client of the supervision platform, generated from openapi/supervision.yaml (cannot drift from the server).
    .target(
      name: "SupervisionClient",
      dependencies: [
        "ZhaocaiCrypto", "ZhaocaiDomain", "ZhaocaiExchange",
        .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
      ],
      plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
    ),
    // Typed client of a trading platform, generated from openapi/trading.yaml (cannot drift from the server).
    .target(
      name: "TradingClient",
      dependencies: [
        "ZhaocaiCrypto", "ZhaocaiDomain", "ZhaocaiExchange",
        .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
      ],
      plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
    ),
    // 交易平台: the API of openapi/trading.yaml over the domain and the store.
    .target(
      name: "TradingPlatform",
      dependencies: [
        "HubClient",
        "SupervisionClient",
        "ZhaocaiAnalytics",
        "ZhaocaiCrypto",
        "ZhaocaiDomain",
        "ZhaocaiExchange",
        "ZhaocaiStore",
        "ZhaocaiWeb",
        .product(name: "SQLKit", package: "sql-kit"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
        .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
        .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
        .product(name: "X509", package: "swift-certificates"),
      ],
      resources: [.copy("Pages/Templates")],
      plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
    ),
    // 公共服务平台: registration and the exchange today (openapi/exchange.yaml).
    .target(
      name: "PublicServiceHub",
      dependencies: [
        "TradingClient",
        "ZhaocaiAnalytics",
        "ZhaocaiCrypto",
        "ZhaocaiDomain",
        "ZhaocaiExchange",
        "ZhaocaiStore",
        "ZhaocaiWeb",
        .product(name: "X509", package: "swift-certificates"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "SQLKit", package: "sql-kit"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
        .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
      ],
      resources: [.copy("Pages/Templates")],
      plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
    ),
    // 行政监督平台: oversight within each department's remit (openapi/supervision.yaml).
    .target(
      name: "SupervisionPlatform",
      dependencies: [
        "ZhaocaiAnalytics",
        "HubClient",
        "TradingClient",
        "ZhaocaiCrypto",
        "ZhaocaiDomain",
        "ZhaocaiExchange",
        "ZhaocaiStore",
        "ZhaocaiWeb",
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "SQLKit", package: "sql-kit"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
        .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
        .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
      ],
      resources: [.copy("Pages/Templates")],
      plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
    ),
    // What test targets share: fresh SQLite and PostgreSQL databases, and each platform running
    // in process (as production builds it) for the tests to drive.
    .target(
      name: "ZhaocaiTestSupport",
      dependencies: [
        "PublicServiceHub", "SupervisionPlatform", "TradingPlatform", "ZhaocaiCrypto",
        "ZhaocaiDomain", "ZhaocaiExchange", "ZhaocaiStore", "ZhaocaiWeb",
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdTesting", package: "hummingbird"),
        .product(name: "PostgresKit", package: "postgres-kit"),
      ],
      // Test code, kept with the tests though SwiftPM builds it as a library.
      path: "Tests/ZhaocaiTestSupport"
    ),
    .executableTarget(
      name: "zhaocai",
      dependencies: [
        "HubClient",
        "ZhaocaiAnalytics",
        "SupervisionClient",
        "TradingClient",
        "COpenSSL",
        "ZhaocaiCrypto",
        "ZhaocaiDomain",
        "ZhaocaiExchange",
        "TradingPlatform",
        "PublicServiceHub",
        "SupervisionPlatform",
        "ZhaocaiStore",
        "ZhaocaiWeb",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Configuration", package: "swift-configuration"),
        .product(name: "SystemPackage", package: "swift-system"),
      ]
    ),
    .testTarget(name: "ZhaocaiWebTests", dependencies: ["ZhaocaiWeb", "ZhaocaiDomain"]),
    .testTarget(name: "ZhaocaiAnalyticsTests", dependencies: ["ZhaocaiAnalytics"]),
    .testTarget(
      name: "ZhaocaiCryptoTests",
      dependencies: ["ZhaocaiCrypto", .product(name: "X509", package: "swift-certificates")]
    ),
    .testTarget(
      name: "ZhaocaiDomainTests",
      dependencies: [
        "ZhaocaiDomain", .product(name: "PropertyBased", package: "swift-property-based"),
      ]
    ),
    .testTarget(
      name: "ZhaocaiExchangeTests",
      dependencies: [
        "ZhaocaiExchange", "ZhaocaiWeb",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ]
    ),
    .testTarget(
      name: "PublicServiceHubTests",
      dependencies: [
        "PublicServiceHub",
        "ZhaocaiExchange",
        "ZhaocaiStore",
        "ZhaocaiTestSupport",
        .product(name: "HummingbirdTesting", package: "hummingbird"),
      ]
    ),
    .testTarget(
      name: "ZhaocaiStoreTests",
      dependencies: [
        "ZhaocaiStore",
        "ZhaocaiTestSupport",
        .product(name: "SQLKit", package: "sql-kit"),
        .product(name: "PostgresKit", package: "postgres-kit"),
      ]
    ),
    // Runs the built `zhaocai` binary as a user would; it only builds inputs with the crypto core.
    .testTarget(
      name: "CommandTests",
      dependencies: ["ZhaocaiAnalytics", "ZhaocaiCrypto", "ZhaocaiStore", "ZhaocaiTestSupport"]),
    .testTarget(
      name: "TradingPlatformTests",
      dependencies: [
        "TradingPlatform", "ZhaocaiTestSupport",
        .product(name: "HummingbirdTesting", package: "hummingbird"),
      ]
    ),
    .testTarget(
      name: "SupervisionPlatformTests",
      dependencies: ["SupervisionPlatform", "ZhaocaiTestSupport"]
    ),
    // What crosses platforms: the hub, supervision and trading platforms talking over HTTP.
    .testTarget(
      name: "IntegrationTests",
      dependencies: [
        "PublicServiceHub", "SupervisionPlatform", "TradingPlatform", "ZhaocaiTestSupport",
        .product(name: "HummingbirdTesting", package: "hummingbird"),
      ]
    ),
  ],
  swiftLanguageModes: [.v6]
)

#!/usr/bin/env bash
# Regenerates Sources/PayloadDecoders/Sparkplug/sparkplug_b.pb.swift from sparkplug_b.proto beside it.
# Run by hand after changing the schema, then commit the result: the build never runs protoc.
# Needs protoc (apt-get install protobuf-compiler); builds protoc-gen-swift from swift-protobuf at the version
# Package.resolved names (or 1.39.0 without one), in a scratch folder.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(python3 -c 'import json; pins = json.load(open("Package.resolved"))["pins"]; print(next(p["state"]["version"] for p in pins if p["identity"] == "swift-protobuf"))' 2>/dev/null || echo 1.39.0)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
git clone -q --depth 1 --branch "$version" https://github.com/apple/swift-protobuf.git "$scratch/swift-protobuf"
(cd "$scratch/swift-protobuf" && swift build -c release --product protoc-gen-swift)
cd Sources/PayloadDecoders/Sparkplug
protoc --plugin=protoc-gen-swift="$scratch/swift-protobuf/.build/release/protoc-gen-swift" \
  --swift_out=. --swift_opt=Visibility=Internal sparkplug_b.proto
echo "regenerated sparkplug_b.pb.swift with swift-protobuf $version"

#!/usr/bin/env bash
# `npx projen languages`: the library in every jsii language CI can build here.
#
# - Builds the Python and Java packages with jsii-pacmak (dist/python, dist/java); .NET only where the .NET SDK is
#   installed (otherwise skipped, with a message).
# - Synthesizes the quick start and a Global Database app from TypeScript (apps/typescript), Python (apps/python,
#   against the wheel) and Java (apps/java, against the Maven package), and requires the same templates.
# - Runs the Python translation of every README and API example (tools/python-examples.py) against the wheel.
#
# Python and Java run at the library's peer floor: aws-cdk-lib and constructs at the versions package.json's
# peerDependencies start from (PyPI and Maven Central can lag npm's newest aws-cdk-lib). Needs the compiled assembly
# and the example tablet the build writes (.jsii, .jsii.tabl.json): run it after `npx projen build` (or compile).
# Installs into .languages/ (a Python venv, gitignored) and ~/.m2 (Maven). Prints the seconds each step takes.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=${LANGUAGES_WORKDIR:-$ROOT/.languages}
OUT=$WORK/out
STARTED=$SECONDS
TIMES=()

timed() {
  local label=$1
  shift
  local t0=$SECONDS
  echo "[languages] $label"
  "$@"
  TIMES+=("$(printf '%5d s  %s' $((SECONDS - t0)) "$label")")
}

pkg() { node -p "require('./package.json').$1"; }
floor() { node -p "require('./package.json').peerDependencies['$1'].replace(/^[^0-9]*/, '')"; }
installed() { node -p "require('$1/package.json').version"; }

VERSION=$(pkg version)
CDK_FLOOR=$(floor aws-cdk-lib)
CONSTRUCTS_FLOOR=$(floor constructs)
NAG_VERSION=$(installed cdk-nag)
GUARD_VERSION=$(installed @cdklabs/cdk-validator-cfnguard)
echo "[languages] cdk-aurora-baseline $VERSION against aws-cdk-lib $CDK_FLOOR and constructs $CONSTRUCTS_FLOOR"

if [ ! -f .jsii ] || [ ! -f .jsii.tabl.json ]; then
  echo "[languages] .jsii or .jsii.tabl.json is missing: run 'npx projen build' (or 'npx projen compile') first." >&2
  exit 1
fi
for tool in python3 mvn java; do
  command -v "$tool" > /dev/null || { echo "[languages] '$tool' is not on PATH: the Python and Java checks need it." >&2; exit 1; }
done

rm -rf "$OUT"
mkdir -p "$OUT"

compare() { # <app in typescript> <language> <app in that language>
  npx ts-node --project tools/tsconfig.json --transpile-only tools/compare-assemblies.ts \
    "$OUT/typescript/$1" "$OUT/$2/$3" "$2 $3"
}

# --- Packages
timed "package:python (jsii-pacmak)" npx projen package:python
timed "package:java (jsii-pacmak, Maven)" npx projen package:java
if command -v dotnet > /dev/null; then
  timed "package:dotnet (jsii-pacmak)" npx projen package:dotnet
else
  echo "[languages] Skipping .NET: no .NET SDK ('dotnet') on PATH. The Python and Java checks do not need it."
fi

# --- TypeScript: the templates the other languages must produce
for app in quick-start global-database; do
  timed "typescript $app: synthesize" \
    env CDK_OUTDIR="$OUT/typescript/$app" npx ts-node --project apps/tsconfig.json --transpile-only "apps/typescript/$app.ts"
done

# --- Python: the wheel, aws-cdk-lib at the floor from PyPI
python_env() {
  [ -x "$WORK/venv/bin/python" ] || python3 -m venv "$WORK/venv"
  "$WORK/venv/bin/pip" install --quiet --disable-pip-version-check \
    "aws-cdk-lib==$CDK_FLOOR" "constructs==$CONSTRUCTS_FLOOR" \
    "cdk-nag==$NAG_VERSION" "cdklabs.cdk-validator-cfnguard==$GUARD_VERSION"
  # The version is the same from build to build (0.0.0 outside releases): reinstall this build's wheel.
  "$WORK/venv/bin/pip" install --quiet --disable-pip-version-check --force-reinstall --no-deps dist/python/*.whl
}
timed "python: venv with the wheel and aws-cdk-lib $CDK_FLOOR" python_env
for app in quick_start global_database; do
  timed "python $app: synthesize" env CDK_OUTDIR="$OUT/python/$app" "$WORK/venv/bin/python" "apps/python/$app.py"
done
compare quick-start python quick_start
compare global-database python global_database
timed "python: README and API examples" "$WORK/venv/bin/python" tools/python-examples.py .jsii.tabl.json

# --- Java: the Maven package from dist/java, aws-cdk-lib at the floor from Maven Central
MAVEN=(mvn -q -B -f apps/java/pom.xml "-Dlibrary.version=$VERSION" "-Dcdk.version=$CDK_FLOOR"
  "-Dconstructs.version=$CONSTRUCTS_FLOOR")
# Maven caches a release version for good: drop this library's copy so the build's jar is the one used.
rm -rf "${MAVEN_LOCAL_REPOSITORY:-$HOME/.m2/repository}/dev/cdk-aurora-baseline"
timed "java: compile apps/java" "${MAVEN[@]}" compile
for app in QuickStart GlobalDatabase; do
  timed "java $app: synthesize" env CDK_OUTDIR="$OUT/java/$app" "${MAVEN[@]}" exec:java \
    "-Dexec.mainClass=dev.cdkaurorabaseline.apps.$app"
done
compare quick-start java QuickStart
compare global-database java GlobalDatabase
# Interoperability: an AuroraCluster passed as it is to aws-cdk-lib APIs that take an rds.IDatabaseCluster (AWS Backup,
# RDS Proxy) or an ec2.IConnectable; the app checks its own template and fails the step when something is miswired.
timed "java Interop: synthesize and check" env CDK_OUTDIR="$OUT/java/Interop" "${MAVEN[@]}" exec:java \
  "-Dexec.mainClass=dev.cdkaurorabaseline.apps.Interop"

echo "[languages] done in $((SECONDS - STARTED)) s:"
printf '%s\n' "${TIMES[@]}"

#!/usr/bin/env bash
# Prepares the packaged jar for a fast start: extracts it (classes load from plain jars, not
# from jars nested in a jar) and records a training start into a class cache the JVM maps at
# the next start, instead of finding, parsing and linking some 20,000 classes again:
#   Java 25 and later: the AOT cache (JEP 483/514/515), -XX:AOTCache
#   Java 17 to 24:     a class-data sharing archive (CDS), -XX:SharedArchiveFile
# Both starts also use the bean definitions Spring AOT worked out when the jar was built
# (-Dspring.aot.enabled=true) instead of scanning classes and evaluating conditions.
#
# Usage: scripts/fast-start.sh [JAR] [DIRECTORY]
#   JAR        default: the one target/token-service-*.jar
#   DIRECTORY  default: target/fast-start (replaced)
#   JAVA       the java to prepare for and start with (default: java on the PATH); the cache only
#              works with the same Java build, the same JVM options and the same jar
#   JAVA_OPTS  JVM options of the training start (use the ones you will start with)
# Writes the options of the fast start to DIRECTORY/java.args (a java argument file) and prints the
# command that starts the service with them. Rerun it after every new build.
#
# The training start runs in an empty temporary directory with its own H2 database and a
# throwaway secret, so it never touches your data, config.yml or DATABASE_URL; it stops by
# itself once every bean is created (Spring's spring.context.exit=onRefresh).
set -euo pipefail

# JAR and DIRECTORY are relative to where the script is called from; the defaults are in the
# repository.
caller="$(pwd)"
absolute() {
	case "$1" in
	/*) printf '%s' "$1" ;;
	*) printf '%s/%s' "$caller" "$1" ;;
	esac
}
cd "$(dirname "$0")/.."
JAR="${1:+$(absolute "$1")}"
JAR="${JAR:-$(ls target/token-service-*.jar 2>/dev/null | head -n 1)}"
DIR="${2:+$(absolute "$2")}"
DIR="${DIR:-target/fast-start}"
JAVA="${JAVA:-java}"
JAVA_OPTS="${JAVA_OPTS:-}"
if [ -z "$JAR" ] || [ ! -f "$JAR" ]; then
	echo "No jar: build it with ./mvnw package -DskipTests, or pass its path" >&2
	exit 2
fi
JAR="$(cd "$(dirname "$JAR")" && pwd)/$(basename "$JAR")"

rm -rf "$DIR"
mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
"$JAVA" -Djarmode=tools -jar "$JAR" extract --destination "$DIR"
app="$DIR/$(basename "$JAR")"

# The cache records the class path as given, so it is recorded with the absolute path the
# service is started with.
feature="$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F' = ' '$1 ~ /java\.specification\.version$/ {print $2}')"
if [ "${feature:-0}" -ge 25 ]; then
	record="-XX:AOTCacheOutput=$DIR/app.aot"
	use="-XX:AOTCache=$DIR/app.aot"
else
	record="-XX:ArchiveClassesAtExit=$DIR/app.jsa"
	use="-XX:SharedArchiveFile=$DIR/app.jsa"
fi
spring_aot="-Dspring.aot.enabled=true"

training="$(mktemp -d)"
trap 'rm -rf "$training"' EXIT
echo "Training start on Java $feature ($record); log in $DIR/training.log"
# shellcheck disable=SC2086 # JAVA_OPTS holds several options
(cd "$training" && env -u DATABASE_URL -u DATABASE_USERNAME -u DATABASE_PASSWORD -u JWT_SECRET -u CONFIG_FILE \
	"$JAVA" $JAVA_OPTS $spring_aot $record -Dspring.context.exit=onRefresh -jar "$app" \
	--config.file=/dev/null --data.dir="$training/data" \
	--jwt.secret="training-only-$(od -An -N16 -tx1 /dev/urandom | tr -d " \n")" --server.port=0 \
	>"$DIR/training.log" 2>&1 </dev/null) || {
	tail -n 30 "$DIR/training.log" >&2
	echo "The training start failed" >&2
	exit 1
}

# Quoted, so a directory with spaces in its name stays one argument.
printf '"%s"\n' "$spring_aot" "$use" >"$DIR/java.args"
echo "Ready. Start the service from your working directory (where config.yml is) with:"
echo "  $JAVA ${JAVA_OPTS:+$JAVA_OPTS }@$DIR/java.args -jar $app"
echo "($DIR/java.args holds: $spring_aot $use)"

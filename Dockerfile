# Container image of the token service.
#
# Build:  docker build -t token-service .
# Run:    export JWT_SECRET="$(openssl rand -base64 48)"    # once; keep this value
#         docker run -d --name token-service -p 8001:8001 \
#           -v token-service-data:/app/data \
#           -e JWT_SECRET \
#           token-service
#
# - /app/data holds the H2 database (and the generated secret when JWT_SECRET is not set):
#   keep it on a volume, or every new container starts with no users.
# - JWT_SECRET (at least 32 bytes for HS256) is read by /app/config.yml; use the same value on
#   every instance and keep it across restarts, or issued tokens stop being valid.
# - Your own configuration: mount it over the bundled file,
#     -v ./my-config.yml:/app/config.yml:ro
#   or mount it elsewhere and name it:
#     -v ./conf:/conf:ro -e CONFIG_FILE=/conf/config.yml
# - PORT changes the port inside the container (publish it to match), e.g. -e PORT=9000 -p 9000:9000.

# ---- build stage: compile and package the jar with the Maven wrapper ----
FROM eclipse-temurin:17-jdk AS build
WORKDIR /build

# Dependencies first, in their own layer: it is rebuilt only when pom.xml or the wrapper changes.
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -q dependency:go-offline

COPY src src
# The tests run in CI (.ci/run), not here; the formatting check (validate phase) still runs.
RUN ./mvnw -B -q package -DskipTests \
	&& cp target/token-service-*.jar /build/app.jar

# ---- runtime stage: a JRE and the jar, run as a non-root user ----
FROM eclipse-temurin:25-jre

RUN groupadd --system --gid 10001 app \
	&& useradd --system --uid 10001 --gid app --no-create-home --shell /usr/sbin/nologin app

WORKDIR /app
# The jar extracted (its classes load from plain jars, as the AOT cache requires), then a training
# start that records the AOT cache (Java 25, JEP 483/514); with the jar's Spring AOT bean
# definitions the container starts about 3.5 times faster (README, "Performance"). The training
# start uses a throwaway database and secret in /tmp, deleted afterwards.
COPY --from=build /build/app.jar /tmp/app.jar
COPY scripts/fast-start.sh /tmp/fast-start.sh
# Memory: a fixed heap, the serial collector (one GC thread's worth of bookkeeping instead of
# G1's) and freed native memory (mostly the JIT compiler's) handed back to the system every 5 s,
# so the process stays near its measured size whatever the container's limit; see README,
# "Performance". The AOT cache is only used with the options it was recorded with, so they are set
# before the training start. Exit at once on OutOfMemoryError so the container gets restarted.
ENV JAVA_TOOL_OPTIONS="-Xms128m -Xmx128m -XX:+UseSerialGC -XX:TrimNativeHeapInterval=5000 -XX:+ExitOnOutOfMemoryError"
RUN bash /tmp/fast-start.sh /tmp/app.jar /app/jar \
	&& rm -f /tmp/app.jar /tmp/fast-start.sh /app/jar/training.log
# Read from the working directory (/app) at start-up; its ${PORT}, ${DATA_DIR} and ${JWT_SECRET}
# placeholders take values from the container's environment.
COPY config.yml /app/config.yml
# Owner only: the database holds the password hashes, and a new named volume takes these rights.
RUN mkdir -m 700 /app/data && chown app:app /app/data
VOLUME /app/data

EXPOSE 8001
USER app

# Liveness from inside the container, with bash alone (the JRE image has no curl): the service
# answers its health endpoint. Readiness (database included) is /actuator/health/readiness.
# 10 s: during a database outage under load the probe waits behind requests (README, "Health probes").
HEALTHCHECK --interval=15s --timeout=10s --start-period=60s --retries=3 \
	CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${SERVER_PORT:-${PORT:-8001}} && printf 'GET /actuator/health/liveness HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]

# docker stop sends SIGTERM: requests in flight finish (up to 20 s), then the JVM exits. Docker
# kills the container 10 s after SIGTERM unless told otherwise: docker run --stop-timeout 30.
# java.args (from scripts/fast-start.sh): Spring AOT's bean definitions and the AOT cache.
ENTRYPOINT ["java", "@/app/jar/java.args", "-jar", "/app/jar/app.jar"]

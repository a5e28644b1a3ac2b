#!/usr/bin/env bash
# Runs the isrank job, or one of the real-data tools (corpus, embed, probe).
#
#   ./submit.sh [SPARK OPTIONS --] [run|validate] [ISRANK OPTIONS]
#   ./submit.sh [SPARK OPTIONS --] corpus|embed|probe [OPTIONS]      (see datasets/wordnet/README.md)
#
# With a Spark installation (SPARK_HOME, or spark-submit on PATH) it calls spark-submit with the
# cluster jar, passing SPARK OPTIONS through (--master, --deploy-mode, --executor-memory,
# --conf k=v, ...). Without one, it runs the same main class on an embedded local Spark
# (local[*]); there --master, --conf, --driver-memory and --name are understood. ISRANK_EMBEDDED=1
# forces the embedded run. The jar is built (mvn package) when it is missing.
# In the release bundle (isrank-VERSION-bin.tar.gz: lib/isrank-spark-job.jar beside this script)
# there is no embedded Spark: it runs with your spark-submit.
#
# Examples:
#   ./submit.sh --config conf/example.conf
#   ./submit.sh --master yarn --deploy-mode cluster --executor-memory 8g -- \
#       --input hdfs:///lake/embeddings --output hdfs:///lake/isrank/run1
#   ./submit.sh embed --texts datasets/wordnet/texts --output out/wordnet/embeddings --models all-minilm-l6-v2
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JAR="$HERE/spark-job/target/isrank-spark-job.jar"
CLASSPATH_FILE="$HERE/spark-job/target/embedded-classpath.txt"
bundle=0
if [ -f "$HERE/lib/isrank-spark-job.jar" ] && [ ! -d "$HERE/spark-job" ]; then
  bundle=1
  JAR="$HERE/lib/isrank-spark-job.jar"
fi
MAIN=io.isrank.job.IsrankJob

usage() {
  sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

spark_opts=()
job_args=()
if printf '%s\n' "$@" | grep -qx -- '--'; then
  seen=0
  for a in "$@"; do
    if [ "$seen" = 0 ] && [ "$a" = "--" ]; then seen=1; continue; fi
    if [ "$seen" = 0 ]; then spark_opts+=("$a"); else job_args+=("$a"); fi
  done
else
  job_args=("$@")
fi

# The real-data tools live in the embed module's jar, which also holds the job.
extra_jars=""
case "${job_args[0]:-}" in
  corpus|embed|probe)
    if [ "$bundle" = 1 ]; then
      echo "submit.sh: '${job_args[0]}' is one of the real-data tools, which the release bundle does not carry; use a source checkout of isrank" >&2
      exit 2
    fi
    JAR="$HERE/embed-job/target/isrank-embed-job.jar"
    CLASSPATH_FILE="$HERE/embed-job/target/embedded-classpath.txt"
    MAIN=io.isrank.embed.EmbedTool
    extra_jars="$HERE/embed-job/target/model-jars.txt"
    ;;
esac

want_help=0
for a in "${job_args[@]+"${job_args[@]}"}"; do
  case "$a" in -h|--help) want_help=1 ;; esac
done

if [ "$bundle" = 0 ] && { [ ! -f "$JAR" ] || [ ! -f "$CLASSPATH_FILE" ]; }; then
  echo "submit.sh: building the isrank jar (first run)..." >&2
  (cd "$HERE" && mvn -B -q -ntp -DskipTests package) >&2
fi

if [ "$want_help" = 1 ] && [ "$MAIN" = io.isrank.job.IsrankJob ]; then
  usage
  echo
  echo "isrank options:"
fi

submit=""
if [ "${ISRANK_EMBEDDED:-0}" != 1 ]; then
  if [ -n "${SPARK_HOME:-}" ] && [ -x "$SPARK_HOME/bin/spark-submit" ]; then
    submit="$SPARK_HOME/bin/spark-submit"
  elif command -v spark-submit >/dev/null 2>&1; then
    submit="$(command -v spark-submit)"
  fi
fi

if [ -n "$submit" ]; then
  if [ -n "$extra_jars" ]; then
    # the built-in models' jars (ONNX files and tokenizers) go to the executors
    spark_opts=(--jars "$(cat "$extra_jars")" "${spark_opts[@]+"${spark_opts[@]}"}")
  fi
  exec "$submit" --class "$MAIN" "${spark_opts[@]+"${spark_opts[@]}"}" "$JAR" "${job_args[@]+"${job_args[@]}"}"
fi

if [ "$bundle" = 1 ]; then
  echo "submit.sh: the release bundle runs with your Spark installation: set SPARK_HOME (Spark 4.2, Scala 2.13) or put spark-submit on PATH" >&2
  exit 2
fi

# Embedded: the same main class on a local Spark from the Maven-resolved jars.
jvm_opts=()
i=0
while [ $i -lt ${#spark_opts[@]} ]; do
  opt="${spark_opts[$i]}"
  val="${spark_opts[$((i + 1))]:-}"
  case "$opt" in
    --master|--master=*)
      if [ "$opt" = --master ]; then m="$val"; i=$((i + 2)); else m="${opt#*=}"; i=$((i + 1)); fi
      case "$m" in
        local|local\[*\]) jvm_opts+=("-Dspark.master=$m") ;;
        *) echo "submit.sh: --master $m needs spark-submit from a Spark installation (set SPARK_HOME, or put spark-submit on PATH); without one isrank runs embedded on local[N] only" >&2
           exit 2 ;;
      esac ;;
    --conf) jvm_opts+=("-D${val%%=*}=${val#*=}"); i=$((i + 2)) ;;
    --conf=*) v="${opt#*=}"; jvm_opts+=("-D${v%%=*}=${v#*=}"); i=$((i + 1)) ;;
    --driver-memory) jvm_opts+=("-Xmx$val"); i=$((i + 2)) ;;
    --name) jvm_opts+=("-Dspark.app.name=$val"); i=$((i + 2)) ;;
    *) echo "submit.sh: '$opt' needs spark-submit (set SPARK_HOME); the embedded run understands --master, --conf, --driver-memory and --name" >&2
       exit 2 ;;
  esac
done

opens="$(grep '^java17.opens=' "$HERE/conf/jvm.properties" | cut -d= -f2-)"
jit="$(grep '^jvm.jit=' "$HERE/conf/jvm.properties" | cut -d= -f2-)"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"

# Class-data sharing: the embedded JVM loads some 15,000 classes of Spark and its libraries at every
# start. The first run also writes them, parsed and verified, to an archive beside the jar (a few
# seconds more, once); later runs map it and start about 3 s sooner. The archive is remade when the
# jar or its classpath is newer; ISRANK_CDS=0 turns this off.
cds_opts=()
cds_new=""
if [ "${ISRANK_CDS:-1}" != 0 ]; then
  archive="${JAR%.jar}.jsa"
  if [ -f "$archive" ] && [ ! "$JAR" -nt "$archive" ] && [ ! "$CLASSPATH_FILE" -nt "$archive" ]; then
    cds_opts=("-XX:SharedArchiveFile=$archive" "-Xlog:cds=off,cds+dynamic=off")
  elif [ -w "$(dirname "$JAR")" ]; then
    cds_new="$archive.$$.tmp"
    cds_opts=("-XX:ArchiveClassesAtExit=$cds_new" "-Xlog:cds=off,cds+dynamic=off")
    echo "submit.sh: this first run also writes a class-data archive ($archive) so that later runs start sooner (ISRANK_CDS=0 skips it)" >&2
  fi
fi

# shellcheck disable=SC2206 # the flags are one space-separated list by design
cmd=("$java_bin" $opens $jit "${cds_opts[@]+"${cds_opts[@]}"}" "-Dlog4j2.configurationFile=$HERE/conf/log4j2.properties")
# JAVA_OPTS come after the defaults so that they can override them (e.g. another log4j2 file).
# shellcheck disable=SC2206
cmd+=(${JAVA_OPTS:-} "${jvm_opts[@]+"${jvm_opts[@]}"}" -cp "$JAR:$(cat "$CLASSPATH_FILE")" "$MAIN")
cmd+=("${job_args[@]+"${job_args[@]}"}")
if [ -z "$cds_new" ]; then
  exec "${cmd[@]}"
fi
status=0
"${cmd[@]}" || status=$?
# keep the archive of a run that worked (one written at the same time by another run is as good)
if [ "$status" = 0 ] && [ -s "$cds_new" ]; then
  mv -f "$cds_new" "$archive"
fi
rm -f "$cds_new"
exit "$status"

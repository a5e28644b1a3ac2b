package io.isrank.job;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.isrank.error.ConfigException;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * The command line. Every key of {@code conf/defaults.conf} is an option {@code --<key>}, with
 * the comment above it in the file as its help; {@code --config FILE} adds configuration files,
 * and a few short aliases cover what is typed most ({@code --input}, {@code --output},
 * {@code --overwrite}, {@code --drop-invalid}, {@code --seed}).
 */
public final class Cli {
  static final String DEFAULTS_RESOURCE = "io/isrank/defaults.conf";

  private static final Map<String, String> ALIASES = Map.of(
      "--input", "input.path",
      "--output", "output.path",
      "--overwrite", "output.overwrite",
      "--compare-with", "output.compare-with",
      "--drop-invalid", "input.drop-invalid");

  private Cli() {}

  /** What the command line asked for. */
  public sealed interface Request permits Run, Help {}

  /** The two commands: run the job, or only check its input. */
  public enum Command {
    RUN, VALIDATE
  }

  /** Run the job (or validate its input) with this configuration. */
  public record Run(RunConfig config, boolean verbose, Command command) implements Request {}

  /** Print this text (help or version) and exit 0. */
  public record Help(String text) implements Request {}

  /** The built-in defaults, with their comments (from the jar). */
  public static Config defaults() {
    return ConfigFactory.parseResources(Cli.class.getClassLoader(), DEFAULTS_RESOURCE,
        ConfigParseOptions.defaults().setAllowMissing(false));
  }

  /**
   * A configuration from settings given in code (the DataFrame API): each key a key of
   * conf/defaults.conf, each value as it would be typed on the command line (lists comma-separated).
   *
   * @param requireOutput whether output.path must be set
   * @throws ConfigException for an unknown key or a bad value
   */
  public static RunConfig fromSettings(Map<String, String> settings, boolean requireOutput) {
    Config defaults = defaults();
    Map<String, Object> overrides = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : settings.entrySet()) {
      if (!defaults.hasPath(e.getKey()) || defaults.getValue(e.getKey()).valueType() == ConfigValueType.OBJECT) {
        throw new ConfigException("unknown option '" + e.getKey() + "'; the options are the keys of "
            + "conf/defaults.conf");
      }
      String value = e.getValue();
      overrides.put(e.getKey(), defaults.getValue(e.getKey()).valueType() == ConfigValueType.LIST
          ? (value.isBlank() ? List.of() : Arrays.stream(value.split(",")).map(String::trim).toList()) : value);
    }
    Config resolved;
    try {
      resolved = ConfigFactory.parseMap(overrides, "options").withFallback(defaults)
          .resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(true));
    } catch (com.typesafe.config.ConfigException e) {
      throw new ConfigException("configuration cannot be resolved: " + e.getMessage());
    }
    return RunConfig.from(resolved, requireOutput);
  }

  /**
   * Parses the arguments.
   *
   * @throws ConfigException for an unknown option, an unknown key in a config file, a missing file
   *     or a bad value
   */
  public static Request parse(String... args) {
    Config defaults = defaults();
    Map<String, ConfigValue> keys = new java.util.TreeMap<>();
    for (Map.Entry<String, ConfigValue> e : defaults.entrySet()) {
      keys.put(e.getKey(), e.getValue());
    }
    CommandSpec spec = CommandSpec.create().name("isrank");
    spec.addPositional(picocli.CommandLine.Model.PositionalParamSpec.builder().paramLabel("COMMAND").arity("0..1")
        .type(String.class).description("run (default): rank the models and write the outputs; validate: check the "
            + "input and print per-model counts, fitting nothing (exit 0 only if a run would accept it).").build());
    spec.usageMessage()
        .description("Ranks embedding models without labels by information sufficiency, IS(U->V) = h(V) - h(V|U).",
            "Options are the keys of conf/defaults.conf; command line beats --config files, which beat defaults.")
        .sortOptions(false).abbreviateSynopsis(true);
    spec.addOption(OptionSpec.builder("--config").paramLabel("FILE").type(String[].class)
        .description("Configuration file (HOCON, like conf/defaults.conf); may be repeated, later files win.").build());
    spec.addOption(OptionSpec.builder("--input").paramLabel("PATH").type(String.class)
        .description("Same as --input.path.").build());
    spec.addOption(OptionSpec.builder("--output").paramLabel("PATH").type(String.class)
        .description("Same as --output.path.").build());
    spec.addOption(OptionSpec.builder("--overwrite").arity("0").type(boolean.class)
        .description("Same as --output.overwrite true.").build());
    spec.addOption(OptionSpec.builder("--compare-with").paramLabel("DIR").type(String.class)
        .description("Same as --output.compare-with.").build());
    spec.addOption(OptionSpec.builder("--drop-invalid").arity("0").type(boolean.class)
        .description("Same as --input.drop-invalid true.").build());
    spec.addOption(OptionSpec.builder("--verbose").arity("0").type(boolean.class)
        .description("Show stack traces with errors.").build());
    spec.addOption(OptionSpec.builder("-h", "--help").arity("0").usageHelp(true)
        .description("Show this help and exit.").build());
    spec.addOption(OptionSpec.builder("--version").arity("0").versionHelp(true)
        .description("Show the version and exit.").build());
    spec.version("isrank " + Versions.isrank() + " (commit " + Versions.commit() + ")");
    for (Map.Entry<String, ConfigValue> e : keys.entrySet()) {
      ConfigValue v = e.getValue();
      List<String> help = new ArrayList<>();
      for (String line : v.origin().comments()) {
        help.add(line.trim());
      }
      help.add("Default: " + render(v) + ".");
      OptionSpec.Builder b = OptionSpec.builder("--" + e.getKey())
          .paramLabel(label(v)).type(String.class).description(String.join(" ", help));
      if (v.valueType() == ConfigValueType.BOOLEAN) {
        b.arity("0..1").fallbackValue("true");
      }
      spec.addOption(b.build());
    }

    CommandLine cl = new CommandLine(spec);
    ParseResult pr;
    try {
      pr = cl.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      throw new ConfigException(e.getMessage() + " (see --help)");
    }
    if (pr.isUsageHelpRequested()) {
      StringWriter out = new StringWriter();
      cl.usage(new PrintWriter(out));
      return new Help(out.toString());
    }
    if (pr.isVersionHelpRequested()) {
      return new Help("isrank " + Versions.isrank() + " (commit " + Versions.commit() + ")\n");
    }

    Config layered = defaults;
    if (pr.hasMatchedOption("--config")) {
      for (String file : (String[]) pr.matchedOption("--config").getValue()) {
        layered = readFile(file, keys.keySet()).withFallback(layered);
      }
    }
    Map<String, Object> overrides = new LinkedHashMap<>();
    for (Map.Entry<String, String> alias : ALIASES.entrySet()) {
      if (pr.hasMatchedOption(alias.getKey())) {
        Object value = pr.matchedOption(alias.getKey()).getValue();
        overrides.put(alias.getValue(), value instanceof Boolean ? value : String.valueOf(value));
      }
    }
    for (Map.Entry<String, ConfigValue> e : keys.entrySet()) {
      String name = "--" + e.getKey();
      if (pr.hasMatchedOption(name)) {
        String value = pr.matchedOption(name).getValue();
        overrides.put(e.getKey(), e.getValue().valueType() == ConfigValueType.LIST
            ? (value.isBlank() ? List.of() : Arrays.stream(value.split(",")).map(String::trim).toList())
            : value);
      }
    }
    Config resolved;
    try {
      resolved = ConfigFactory.parseMap(overrides, "command line").withFallback(layered)
          .resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(true));
    } catch (com.typesafe.config.ConfigException e) {
      // e.g. "my.conf: 3: Could not resolve substitution to a value: ${LAKE}": names the file and line
      throw new ConfigException("configuration cannot be resolved: " + e.getMessage()
          + " (define the variable in the environment or the file, or remove the substitution)");
    }
    boolean verbose = pr.hasMatchedOption("--verbose");
    Command command = Command.RUN;
    if (pr.hasMatchedPositional(0)) {
      String word = pr.matchedPositional(0).getValue();
      command = switch (word) {
        case "run" -> Command.RUN;
        case "validate" -> Command.VALIDATE;
        default -> throw new ConfigException("unknown command '" + word + "': expected run or validate (see --help)");
      };
    }
    return new Run(RunConfig.from(resolved, command == Command.RUN), verbose, command);
  }

  private static Config readFile(String file, Set<String> known) {
    Config c = remote(file) ? readRemote(file) : readLocal(file);
    for (Map.Entry<String, ConfigValue> e : c.entrySet()) {
      if (!known.contains(e.getKey())) {
        throw new ConfigException("config file '" + io.isrank.runtime.Redaction.text(file) + "' sets unknown option '"
            + e.getKey()
            + "' (line " + e.getValue().origin().lineNumber() + "); see conf/defaults.conf for the options");
      }
    }
    return c;
  }

  /** A path with a URI scheme other than file: (hdfs://, s3a://, …): read through Hadoop. */
  private static boolean remote(String file) {
    int colon = file.indexOf(':');
    if (colon < 2 || !file.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
      return false; // no scheme, or a Windows drive letter
    }
    return !file.substring(0, colon).equalsIgnoreCase("file");
  }

  private static Config readLocal(String file) {
    File f = new File(file.startsWith("file:") ? java.net.URI.create(file).getPath() : file);
    if (!f.isFile()) {
      throw new ConfigException("config file '" + file + "' does not exist or is not a file");
    }
    try {
      return ConfigFactory.parseFile(f, ConfigParseOptions.defaults().setAllowMissing(false));
    } catch (com.typesafe.config.ConfigException e) {
      throw new ConfigException("config file '" + file + "' cannot be read: " + e.getMessage());
    }
  }

  /**
   * A config file on a Hadoop file system, so that a cluster-mode driver reads the same file as
   * the client: the Hadoop configuration of the classpath and HADOOP_CONF_DIR, plus the
   * {@code spark.hadoop.*} settings spark-submit passes to the driver as system properties.
   */
  private static Config readRemote(String file) {
    org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
    for (String name : System.getProperties().stringPropertyNames()) {
      if (name.startsWith("spark.hadoop.")) {
        conf.set(name.substring("spark.hadoop.".length()), System.getProperty(name));
      }
    }
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(file);
    String shown = io.isrank.runtime.Redaction.text(file);
    org.apache.hadoop.fs.FileSystem fs = io.isrank.runtime.HadoopPaths.fileSystem("config file", path, conf);
    try (java.io.Reader in = new java.io.InputStreamReader(fs.open(path), java.nio.charset.StandardCharsets.UTF_8)) {
      return ConfigFactory.parseReader(in, ConfigParseOptions.defaults().setOriginDescription(shown));
    } catch (java.io.FileNotFoundException e) {
      throw new ConfigException("config file '" + shown + "' does not exist or is not a file");
    } catch (java.io.IOException e) {
      throw new ConfigException("config file '" + shown + "' cannot be read: "
          + io.isrank.runtime.Redaction.text(String.valueOf(e.getMessage())));
    } catch (com.typesafe.config.ConfigException e) {
      throw new ConfigException("config file '" + shown + "' cannot be read: " + e.getMessage());
    }
  }

  private static String render(ConfigValue v) {
    return v.render(com.typesafe.config.ConfigRenderOptions.concise());
  }

  private static String label(ConfigValue v) {
    return switch (v.valueType()) {
      case BOOLEAN -> "true|false";
      case NUMBER -> "N";
      case LIST -> "A,B,...";
      default -> "VALUE";
    };
  }
}

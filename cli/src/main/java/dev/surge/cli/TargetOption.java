package dev.surge.cli;

import dev.surge.aws.AwsTarget;
import dev.surge.core.Env;
import picocli.CommandLine.Option;

/** {@code --target local|aws}: which cloud the command talks to. */
final class TargetOption {
  /** The two targets. */
  enum Target {
    local,
    aws
  }

  @Option(
      names = "--target",
      defaultValue = "local",
      description =
          "local (default: the stand-ins on 127.0.0.1, or the AWS_ENDPOINT_URL_* you set) or aws"
              + " (the SDK's standard chain).")
  Target target = Target.local;

  AwsTarget resolve(Env env) {
    return target == Target.local ? AwsTarget.local(env) : AwsTarget.aws(env);
  }

  String describe(AwsTarget t, String service) {
    return t.endpoint(service).map(Object::toString).orElse("AWS (" + t.region() + ")");
  }
}

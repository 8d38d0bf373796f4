package dev.surge.local.api;

import static dev.surge.local.api.Wire.struct;

import java.util.List;

/**
 * STS: who the caller is. Every caller of the local cloud is the local account's root, whatever
 * credentials it signs with (no authentication is pretended).
 */
final class StsApi implements Service {
  private final LocalChain chain;

  StsApi(LocalChain chain) {
    this.chain = chain;
  }

  @Override
  public String signingName() {
    return "sts";
  }

  @Override
  public String title() {
    return "STS";
  }

  @Override
  public List<String> operations() {
    return List.of("GetCallerIdentity");
  }

  @Override
  public String xmlNamespace() {
    return "https://sts.amazonaws.com/doc/2011-06-15/";
  }

  @Override
  public Object call(ApiRequest request) {
    return struct(
        "UserId",
        chain.account(),
        "Account",
        chain.account(),
        "Arn",
        "arn:aws:iam::" + chain.account() + ":root");
  }
}

package dev.surge.watch;

import dev.surge.aws.AwsClients;
import dev.surge.core.ConfigException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * Who the caller is in AWS: asked first by every command that works on the deployed stack ({@code
 * surge deploy}, {@code destroy}, {@code image}, {@code demo --target aws}), so that missing
 * credentials or region, or no network, are one clear error with the fix.
 */
public final class AwsCaller {
  private final AwsClients clients;

  /** The caller the clients' credentials name. */
  public AwsCaller(AwsClients clients) {
    this.clients = clients;
  }

  /**
   * The caller's identity.
   *
   * @throws ConfigException with the fix when no credentials or region are found
   */
  public GetCallerIdentityResponse identity() {
    if (clients.target().region().isEmpty()) {
      throw new ConfigException(
          "no AWS region is set; set AWS_REGION (e.g. export AWS_REGION=us-east-1) or a region in"
              + " your AWS profile");
    }
    try (StsClient sts = clients.build(StsClient.builder(), "STS")) {
      return sts.getCallerIdentity();
    } catch (SdkClientException e) {
      if (network(e)) {
        // Credentials were found: the call itself did not get through.
        throw new ConfigException(
            "cannot reach AWS STS ("
                + e.getMessage()
                + "); check the network connection (or the proxy or VPN), or AWS_ENDPOINT_URL_STS"
                + " if you set one",
            e);
      }
      String why = e.getMessage() == null ? "" : e.getMessage();
      // The SDK lists every provider it tried; the first sentence is what matters here.
      int cut = why.indexOf(" AwsCredentialsProviderChain");
      throw new ConfigException(
          "no usable AWS credentials ("
              + (cut > 0 ? why.substring(0, cut) : why)
              + "); set AWS_PROFILE to a configured profile (after 'aws sso login' if it uses IAM"
              + " Identity Center), or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY",
          e);
    } catch (SdkException e) {
      throw new ConfigException(
          "AWS rejected the credentials (" + e.getMessage() + "); refresh or replace them", e);
    }
  }

  /** Whether {@code e} is a request that did not get through, rather than missing credentials. */
  static boolean network(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.io.IOException) {
        return true;
      }
    }
    return e.getMessage() != null && e.getMessage().startsWith("Unable to execute HTTP request");
  }
}

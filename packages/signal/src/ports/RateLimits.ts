/**
 * Token buckets by key, shared by every node (one script per take in Redis): how often one caller
 * may do one kind of thing (log in from an IP, upload as a person), however the load balancer
 * spreads their requests.
 */
export interface RateLimits {
  /**
   * Takes a token from `key`'s bucket, which holds `perMinute` tokens and refills at that rate;
   * false when it is empty. Keys name their kind (`login:<ip>`), so kinds never share a bucket.
   */
  take(key: string, perMinute: number): Promise<boolean>
}

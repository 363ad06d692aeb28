package org.kadshare.overlay.node;

/**
 * The bounds of one {@link Node#browse}.
 *
 * @param maxQueries    sample_infohashes queries the crawl may send (1..1024)
 * @param maxResults    sampled keys whose manifests are looked up, most reported first (1..500)
 * @param timeoutMillis the whole browse, crawl and manifest lookups, in milliseconds (at least 100)
 */
public record BrowseOptions(int maxQueries, int maxResults, long timeoutMillis) {
    /** Default queries: enough for a few hundred nodes. */
    public static final int DEFAULT_MAX_QUERIES = 64;
    /** Default results. */
    public static final int DEFAULT_MAX_RESULTS = 50;
    /** Default time: 10 s. */
    public static final long DEFAULT_TIMEOUT_MILLIS = 10_000;
    /** Most results one browse may ask for. */
    public static final int MAX_RESULTS = 500;

    /** Checks the ranges, naming the one that is out. */
    public BrowseOptions {
        if (maxQueries < 1 || maxQueries > org.kadshare.overlay.dht.DhtNode.MAX_CRAWL_QUERIES) {
            throw new IllegalArgumentException("max queries must be 1.."
                    + org.kadshare.overlay.dht.DhtNode.MAX_CRAWL_QUERIES + ", got " + maxQueries);
        }
        if (maxResults < 1 || maxResults > MAX_RESULTS) {
            throw new IllegalArgumentException("max results must be 1.." + MAX_RESULTS + ", got " + maxResults);
        }
        if (timeoutMillis < 100) {
            throw new IllegalArgumentException("the browse timeout must be at least 100 ms, got " + timeoutMillis);
        }
    }

    /** The defaults. */
    public static BrowseOptions defaults() {
        return new BrowseOptions(DEFAULT_MAX_QUERIES, DEFAULT_MAX_RESULTS, DEFAULT_TIMEOUT_MILLIS);
    }
}

/** Where accepted mail goes. */
export interface DeliveryConfig {
  /** `smtp`: relay to mail hubs (or a smarthost); `maildir`: one .eml per recipient in a folder. */
  mode: 'smtp' | 'maildir';
  /** maildir mode: the folder (one sub-folder per recipient). */
  maildir?: string;
  /** smtp mode: hubs as host:port, tried in order (failover). */
  hubs?: string[];
  /** Domain -> hubs, for recipients in that domain (or its subdomains). */
  routes?: Record<string, string[]>;
  /** A relay that takes everything not routed otherwise, with optional AUTH. */
  smarthost?: { host: string; port?: number; user?: string; pass?: string; method?: 'PLAIN' | 'LOGIN' | 'CRAM-MD5' };
  /** Seconds to wait for a hub. Default 60. */
  timeout?: number;
  /** Connections to one next hop at once (FireWall-1's max_conns_per_site). Default 5. */
  maxConnsPerSite?: number;
  /** Messages over one connection before it is renewed (max_mails_per_conn). Default 100. */
  maxMailsPerConn?: number;
}

/** What happened to one recipient in a delivery attempt. */
export interface RecipientOutcome {
  address: string;
  outcome: 'delivered' | 'temporary' | 'permanent';
  detail?: string;
}

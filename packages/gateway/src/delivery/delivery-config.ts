/** How a connection to a next hop uses TLS. */
export interface HopTls {
  /** PEM file of the CA(s) to trust for this hop (an internal CA, a self-signed relay). */
  ca?: string;
  /** Refuse a certificate that is not trusted or does not match the host name. */
  rejectUnauthorized?: boolean;
  /** STARTTLS or no delivery: a hop that does not offer it gets nothing, not a cleartext session. */
  requireTLS?: boolean;
}

/** A relay that takes everything not routed otherwise, with optional AUTH. */
export interface Smarthost {
  host: string;
  port?: number;
  user?: string;
  pass?: string;
  method?: 'PLAIN' | 'LOGIN' | 'CRAM-MD5';
  /** Default with `user`: verified certificate and STARTTLS required (the password never goes out in clear). */
  tls?: HopTls;
}

/** Delivery to each recipient domain's MX hosts (RFC 5321 5.1), for mail no route takes. */
export interface MxDelivery {
  /** Port of every MX host. Default 25. */
  port?: number;
  /** DNS servers to ask ("10.0.0.53", "127.0.0.1:5353"); default: the system's. */
  servers?: string[];
  /** Seconds for one DNS query (retried once). Default 5. */
  dnsTimeout?: number;
  /** Default: STARTTLS when offered, certificate not checked (opportunistic, RFC 7435). */
  tls?: HopTls;
}

/** Where accepted mail goes. */
export interface DeliveryConfig {
  /** `smtp`: relay to mail hubs (or a smarthost, or MX hosts); `maildir`: one .eml per recipient in a folder. */
  mode: 'smtp' | 'maildir';
  /** maildir mode: the folder (one sub-folder per recipient). */
  maildir?: string;
  /** smtp mode: hubs as host:port, tried in order (failover). */
  hubs?: string[];
  /** Domain -> hubs, for recipients in that domain (or its subdomains). */
  routes?: Record<string, string[]>;
  smarthost?: Smarthost;
  /** Mail no route or hub takes goes to the recipient domain's MX hosts. */
  mx?: MxDelivery;
  /** TLS toward hubs and routes. Default: STARTTLS when offered, any certificate (internal hubs). */
  tls?: HopTls;
  /** Our own listeners (filled in at start): an MX host that is one of them is not used (loop). */
  ownListeners?: { host: string; port: number }[];
  /** The name we give in EHLO (filled in at start: gateway.yaml's `hostname`). */
  heloName?: string;
  /** Seconds to wait for a next hop to connect and greet. Default 60. */
  timeout?: number;
  /**
   * Seconds to wait for each reply once it greeted. Default 600: RFC 5321 (4.5.3.2.6) gives the
   * end of DATA 10 minutes, and a message given up on before that reply is delivered again.
   */
  replyTimeout?: number;
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
  /** Enhanced status code (RFC 3463) for the DSN of a permanent failure, when known. */
  status?: string;
  /** The next hop whose reply this is (a DSN's Remote-MTA, RFC 3464 2.3.5); absent when none answered. */
  remoteMta?: string;
  /** That hop as the log names it, `host:port` or `name[ip]:port`; absent when none answered. */
  hop?: string;
}

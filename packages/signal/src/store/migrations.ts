/**
 * Schema versions, applied in order and recorded, so an old data folder upgrades in place.
 * Plain portable SQL: the PostgreSQL store runs the same statements.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE teams (id TEXT PRIMARY KEY, name TEXT NOT NULL, answer_target_ms INTEGER NOT NULL);
  CREATE TABLE staff (
    id TEXT PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    capacity INTEGER NOT NULL
  );
  CREATE TABLE staff_teams (
    staff_id TEXT NOT NULL REFERENCES staff(id),
    team_id TEXT NOT NULL REFERENCES teams(id),
    PRIMARY KEY (staff_id, team_id)
  );
  CREATE TABLE customers (
    id TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    vip_level INTEGER NOT NULL,
    last_purchase_at BIGINT,
    platform TEXT NOT NULL,
    is_guest INTEGER NOT NULL,
    updated_at BIGINT NOT NULL
  );
  CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL,
    customer_name TEXT NOT NULL,
    channel TEXT NOT NULL,
    state TEXT NOT NULL,
    team_id TEXT NOT NULL,
    agent_id TEXT,
    priority INTEGER NOT NULL,
    last_seq INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    queued_at BIGINT,
    first_response_at BIGINT,
    resolved_at BIGINT
  );
  CREATE INDEX conversations_by_customer ON conversations (customer_id, state);
  CREATE INDEX conversations_by_state ON conversations (state, team_id, updated_at);
  CREATE TABLE messages (
    conversation_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    cid TEXT NOT NULL,
    author_id TEXT NOT NULL,
    author_role TEXT NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    attachment TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (conversation_id, seq),
    UNIQUE (conversation_id, cid)
  );
  CREATE TABLE read_marks (
    conversation_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, user_id)
  );
  CREATE TABLE offline_queue (
    recipient_id TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    enqueued_at BIGINT NOT NULL,
    PRIMARY KEY (recipient_id, conversation_id, seq)
  );
  CREATE INDEX offline_queue_by_age ON offline_queue (enqueued_at);
  `,
  `
  ALTER TABLE conversations ADD COLUMN voice_room TEXT;
  CREATE TABLE webhook_events (id TEXT PRIMARY KEY, received_at BIGINT NOT NULL);
  `,
  `
  CREATE TABLE reply_windows (
    customer_id TEXT PRIMARY KEY,
    last_inbound_at BIGINT NOT NULL,
    replies_used INTEGER NOT NULL
  );
  `,
  // A conversation's last seq is its messages' highest, read from their primary key. Kept as a column
  // it cost a second page written per message, a third of what storing a message costs.
  `
  ALTER TABLE conversations DROP COLUMN last_seq;
  `,
  // Unique on (cid, conversation) rather than (conversation, cid): cids start with their creation
  // time (newClientMessageId), so new entries land at the index's right edge instead of on a random
  // page each. A table constraint cannot be dropped in SQLite, hence the copy.
  `
  CREATE TABLE messages_by_time_cid (
    conversation_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    cid TEXT NOT NULL,
    author_id TEXT NOT NULL,
    author_role TEXT NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    attachment TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (conversation_id, seq),
    UNIQUE (cid, conversation_id)
  );
  INSERT INTO messages_by_time_cid (conversation_id, seq, cid, author_id, author_role, kind, body, attachment, created_at)
    SELECT conversation_id, seq, cid, author_id, author_role, kind, body, attachment, created_at FROM messages;
  DROP TABLE messages;
  ALTER TABLE messages_by_time_cid RENAME TO messages;
  `,
  // Where the customer is (channel) and how replies reach them (delivery) are two questions. Before
  // this, only conversations opened by WeChat's message push had customers named wx_<openid>.
  `
  ALTER TABLE conversations ADD COLUMN delivery TEXT NOT NULL DEFAULT 'kefu';
  UPDATE conversations SET delivery = 'wechat_cs' WHERE customer_id LIKE 'wx!_%' ESCAPE '!';
  `,
  // A deactivated account keeps its history (conversations name it) but can no longer act.
  `
  ALTER TABLE staff ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
  `,
  // Alerts stay for the record: what was raised, when, and who acknowledged it.
  `
  CREATE TABLE alerts (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    figure TEXT NOT NULL,
    team_id TEXT,
    value DOUBLE PRECISION NOT NULL,
    limit_value DOUBLE PRECISION NOT NULL,
    message TEXT NOT NULL,
    raised_at BIGINT NOT NULL,
    acknowledged_at BIGINT,
    acknowledged_by TEXT
  );
  CREATE INDEX alerts_by_time ON alerts (raised_at);
  `,
  // Handover notes are staff's: kept beside the history, which the customer reads too.
  `
  CREATE TABLE handover_notes (
    conversation_id TEXT NOT NULL,
    at BIGINT NOT NULL,
    author_id TEXT NOT NULL,
    author_name TEXT NOT NULL,
    note TEXT NOT NULL
  );
  CREATE INDEX handover_notes_by_conversation ON handover_notes (conversation_id, at);
  `,
  // Canned replies: a team's (team_id set) or one person's (owner_id set).
  `
  CREATE TABLE canned_replies (
    id TEXT PRIMARY KEY,
    owner_id TEXT,
    team_id TEXT,
    name TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
  );
  CREATE INDEX canned_replies_by_team ON canned_replies (team_id);
  CREATE INDEX canned_replies_by_owner ON canned_replies (owner_id);
  `,
  // What the message log does not hold, per five-minute bucket: queue lengths, occupancy, deliveries.
  `
  CREATE TABLE live_figures (
    bucket BIGINT NOT NULL,
    figure TEXT NOT NULL,
    scope TEXT NOT NULL,
    sum DOUBLE PRECISION NOT NULL,
    count DOUBLE PRECISION NOT NULL,
    max DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (bucket, figure, scope)
  );
  `,
  // The knowledge base: each entry as JSON with its state, and how it has served.
  `
  CREATE TABLE knowledge_entries (
    id TEXT PRIMARY KEY,
    entry TEXT NOT NULL,
    status TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL
  );
  CREATE TABLE knowledge_usage (
    entry_id TEXT PRIMARY KEY,
    hits INTEGER NOT NULL DEFAULT 0,
    helped INTEGER NOT NULL DEFAULT 0,
    not_helped INTEGER NOT NULL DEFAULT 0,
    handoffs INTEGER NOT NULL DEFAULT 0,
    last_hit_at BIGINT
  );
  `,
  // An alert about one conversation (an angry customer) names it.
  `
  ALTER TABLE alerts ADD COLUMN conversation_id TEXT;
  `,
  // Each time an emergency playbook was switched on (and off), as one JSON record.
  `
  CREATE TABLE playbook_activations (id TEXT PRIMARY KEY, activated_at BIGINT NOT NULL, record TEXT NOT NULL);
  CREATE INDEX playbook_activations_by_time ON playbook_activations (activated_at);
  `,
  // Help offered unasked: once per rule, customer and service day, whatever the shop posts.
  `
  CREATE TABLE proactive_offers (
    customer_id TEXT NOT NULL,
    rule_id TEXT NOT NULL,
    day TEXT NOT NULL,
    offered_at BIGINT NOT NULL,
    PRIMARY KEY (customer_id, rule_id, day)
  );
  `,
  // The language an integrator's signed profile gives, for routing rules on languages.
  `
  ALTER TABLE customers ADD COLUMN language TEXT;
  `,
  // What a second node must share. The conversations an emergency playbook moved up, a row each
  // (they were a list in the activation's record, which two nodes would each overwrite). Uploaded
  // images and voice notes (files in one node's data folder before). WeChat's access token. The
  // alert conditions that hold and the anomaly baselines (a restart re-raised every alert that
  // still held and started each baseline's warm-up again). The shop's behaviour events of the last
  // day, which the proactive rules read (a restart emptied each customer's window). BYTEA is PostgreSQL's binary
  // type; SQLite keeps a blob as given under it.
  `
  CREATE TABLE playbook_boosts (
    activation_id TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    boosted_at BIGINT NOT NULL,
    PRIMARY KEY (activation_id, conversation_id)
  );
  CREATE TABLE alert_conditions (condition TEXT PRIMARY KEY, alert_id TEXT NOT NULL, since BIGINT NOT NULL);
  CREATE TABLE alert_baselines (key TEXT PRIMARY KEY, state TEXT NOT NULL);
  CREATE TABLE behaviour_events (
    customer_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    at BIGINT NOT NULL,
    event TEXT NOT NULL,
    PRIMARY KEY (customer_id, event_id)
  );
  CREATE INDEX behaviour_events_by_time ON behaviour_events (customer_id, at);
  CREATE TABLE upstream_tokens (name TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at BIGINT NOT NULL);
  CREATE TABLE media (
    name TEXT PRIMARY KEY,
    mime TEXT NOT NULL,
    bytes BYTEA NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at BIGINT NOT NULL
  );
  `,
]

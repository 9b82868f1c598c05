//! Errors of GeoIP lookups, with Elasticsearch's message texts.

/// What can go wrong looking an address up.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum GeoIpError {
    /// The text is not an IP address literal (Java `InetAddresses.forString`).
    #[error("'{0}' is not an IP string literal.")]
    NotAnIpLiteral(String),
    /// A property name the database kind does not offer; the message lists
    /// the valid ones in Elasticsearch's enum order.
    #[error("illegal property value [{value}]. valid values are [{valid}]")]
    IllegalProperty {
        /// The property as written in the pipeline.
        value: String,
        /// The valid property names, upper case, comma-separated.
        valid: String,
    },
    /// The database's type is none Elasticsearch supports.
    #[error("Unsupported database type [{database_type}] for file [{file}]")]
    UnsupportedDatabaseType {
        /// The `database_type` from the database metadata.
        database_type: String,
        /// The database file name.
        file: String,
    },
    /// A `.mmdb` file could not be opened or decoded.
    #[error("failed to read GeoIP database [{file}]: {reason}")]
    Database {
        /// The database file name.
        file: String,
        /// What the reader reported.
        reason: String,
    },
}

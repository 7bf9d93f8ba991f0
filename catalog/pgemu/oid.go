package pgemu

import (
	"crypto/md5"
	"encoding/binary"
)

// Well-known PostgreSQL oids.
const (
	pgCatalogNamespaceOID  = 11
	publicNamespaceOID     = 2200
	informationSchemaNSOID = 13207
	// firstNormalObjectID is the first oid PostgreSQL gives user objects;
	// hashed oids are at or above it.
	firstNormalObjectID = 16384
	// oidModulus bounds hashed oids to [firstNormalObjectID, 2^31).
	oidModulus = 1<<31 - 1 - firstNormalObjectID
)

// RelationOID is the stable oid the emulated catalog gives the relation
// schema.name, where schema is the DuckDB schema name ("main" for what
// clients see as public). It is the same across restarts, so the oid pgwire
// puts in RowDescription can agree with pg_class.oid.
func RelationOID(schema, name string) uint32 { return HashOID(schema + "." + name) }

// NamespaceOID is the oid the emulated catalog gives a DuckDB schema.
func NamespaceOID(schema string) uint32 {
	switch schema {
	case "main":
		return publicNamespaceOID
	case "pg_catalog":
		return pgCatalogNamespaceOID
	case "information_schema":
		return informationSchemaNSOID
	}
	return HashOID(schema)
}

// HashOID maps a key to [16384, 2^31): the first four bytes of its MD5, as
// the SQL macro tp_hash_oid computes it. The emulation keys its objects by
// kind and name: "schema.relation", "index:schema.name",
// "constraint:schema.name", "rowtype:schema.relation"...
func HashOID(key string) uint32 {
	sum := md5.Sum([]byte(key))
	return firstNormalObjectID + binary.BigEndian.Uint32(sum[:4])%oidModulus
}

package org.kadshare.bencode;

/**
 * A bencoded value: a byte string, an integer, a list or a dictionary (BEP 3). Values are
 * immutable; dispatch on the four kinds with {@code instanceof} patterns.
 */
public sealed interface BValue permits BString, BInteger, BList, BDictionary {

    /** The name of this kind of value ("string", "integer", "list", "dictionary"), for messages. */
    String typeName();
}

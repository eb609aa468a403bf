package dev.vigil.testing.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/** The answers of a {@link LoopbackDnsServer}: immutable, built once, safe from any thread. */
record DnsAnswers(Map<String, List<String>> names, Set<String> nxdomain) {

    static final long TTL = 60;

    /** Lower case, no final dot. */
    static String canonical(String name) {
        String n = LoopbackDnsServer.lower(name.strip());
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    /** The wire answer to a wire query; FORMERR for what does not parse as one question. */
    byte[] answer(byte[] wire) {
        Message query;
        try {
            query = new Message(wire);
        } catch (IOException e) {
            if (wire.length < 2) {
                return new byte[0];
            }
            Message err = new Message(((wire[0] & 0xff) << 8) | (wire[1] & 0xff));
            err.getHeader().setFlag(Flags.QR);
            err.getHeader().setRcode(Rcode.FORMERR);
            return err.toWire();
        }
        Message reply = new Message(query.getHeader().getID());
        reply.getHeader().setFlag(Flags.QR);
        reply.getHeader().setFlag(Flags.RA);
        if (query.getHeader().getFlag(Flags.RD)) {
            reply.getHeader().setFlag(Flags.RD);
        }
        Record question = query.getQuestion();
        if (question == null) {
            reply.getHeader().setRcode(Rcode.FORMERR);
            return reply.toWire();
        }
        reply.addRecord(question, Section.QUESTION);
        reply.getHeader()
                .setRcode(resolve(question.getName(), question.getType(), reply, new HashSet<>()));
        return reply.toWire();
    }

    /** Adds the answers for {@code name} to {@code reply}; returns the rcode. */
    private int resolve(Name name, int type, Message reply, Set<String> seen) {
        String key = canonical(name.toString());
        if (!seen.add(key)) {
            return Rcode.SERVFAIL; // a CNAME loop in the test data
        }
        if (nxdomain.contains(key)) {
            return Rcode.NXDOMAIN;
        }
        List<String> values = names.get(key);
        if (values == null) {
            return Rcode.REFUSED;
        }
        try {
            if (values.size() == 1
                    && !Address.isDottedQuad(values.getFirst())
                    && !values.getFirst().contains(":")) {
                Name target = Name.fromString(canonical(values.getFirst()) + ".");
                reply.addRecord(new CNAMERecord(name, DClass.IN, TTL, target), Section.ANSWER);
                if (type == Type.CNAME) {
                    return Rcode.NOERROR;
                }
                int rcode = resolve(target, type, reply, seen);
                return rcode == Rcode.REFUSED ? Rcode.NOERROR : rcode;
            }
            for (String v : values) {
                InetAddress a = InetAddress.ofLiteral(v);
                boolean v4 = a.getAddress().length == 4;
                if (v4 && (type == Type.A || type == Type.ANY)) {
                    reply.addRecord(new ARecord(name, DClass.IN, TTL, a), Section.ANSWER);
                } else if (!v4 && (type == Type.AAAA || type == Type.ANY)) {
                    reply.addRecord(new AAAARecord(name, DClass.IN, TTL, a), Section.ANSWER);
                }
            }
            return Rcode.NOERROR;
        } catch (TextParseException | IllegalArgumentException e) {
            return Rcode.SERVFAIL; // bad test data: make it visible as a failure, not an answer
        }
    }
}

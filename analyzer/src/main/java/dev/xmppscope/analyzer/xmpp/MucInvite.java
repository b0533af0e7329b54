package dev.xmppscope.analyzer.xmpp;

import dev.xmppscope.analyzer.xml.XmlElement;

/**
 * A mediated invitation to a chat room (XEP-0045 §7.8.2), or the invitee's decline of one, as a
 * message carries it in its {@code muc#user} {@code <x/>}. Sent to the room, it names whom the
 * room is to pass it on to ({@code to}: the invitee, or the inviter a decline answers); passed on by
 * the room, whom it came from ({@code from}: the inviter, or who declined). Only the first
 * {@code <invite/>}, else the {@code <decline/>}, counts: a room passes on only that one.
 *
 * @param decline whether this is a decline rather than an invitation
 * @param to      whom the room is to pass it on to, in a message sent to the room; else null
 * @param from    whom it came from, in the room's passing it on; else null
 * @param reason  the reason given, or null
 */
public record MucInvite(boolean decline, String to, String from, String reason) {

    /** The invitation or decline {@code message} carries, or null. */
    public static MucInvite in(XmlElement message) {
        XmlElement x = message.child("x", Ns.MUC_USER);
        if (x == null) {
            return null;
        }
        XmlElement invite = x.child("invite", Ns.MUC_USER);
        XmlElement e = invite != null ? invite : x.child("decline", Ns.MUC_USER);
        return e == null ? null
                : new MucInvite(invite == null, e.attribute("to"), e.attribute("from"), e.childText("reason", Ns.MUC_USER));
    }
}

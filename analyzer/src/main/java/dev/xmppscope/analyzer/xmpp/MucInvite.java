package dev.xmppscope.analyzer.xmpp;

import dev.xmppscope.analyzer.xml.XmlElement;

/**
 * A mediated invitation to a chat room (XEP-0045 §7.8.2), as a message carries it in its
 * {@code muc#user} {@code <x/>}: sent to the room, it names the invitee ({@code to}); passed on by
 * the room, the inviter ({@code from}). Only the first {@code <invite/>} counts: a room passes on
 * only that one.
 *
 * @param to     the invitee, in an invitation sent to the room; else null
 * @param from   the inviter, in the room's passing it on; else null
 * @param reason the reason given, or null
 */
public record MucInvite(String to, String from, String reason) {

    /** The invitation {@code message} carries, or null. */
    public static MucInvite in(XmlElement message) {
        XmlElement x = message.child("x", Ns.MUC_USER);
        XmlElement invite = x == null ? null : x.child("invite", Ns.MUC_USER);
        return invite == null ? null
                : new MucInvite(invite.attribute("to"), invite.attribute("from"), invite.childText("reason", Ns.MUC_USER));
    }
}

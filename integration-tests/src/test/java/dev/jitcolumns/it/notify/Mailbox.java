package dev.jitcolumns.it.notify;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/** What the SMTP sink received, read as a mail client would: recipients, subject, the text and html parts. */
final class Mailbox {

    record Received(List<String> to, String subject, String text, String html) {
        boolean isFor(String address) {
            return to.contains(address);
        }
    }

    private final GreenMailExtension sink;

    Mailbox(GreenMailExtension sink) {
        this.sink = sink;
    }

    List<Received> all() {
        List<Received> out = new ArrayList<>();
        for (MimeMessage m : sink.getReceivedMessages()) {
            out.add(read(m));
        }
        return out;
    }

    List<Received> to(String address) {
        return all().stream().filter(r -> r.isFor(address)).toList();
    }

    /** The first mail to {@code address} whose subject contains {@code subject}, waiting up to 20 s for it. */
    Received awaitTo(String address, String subject) throws InterruptedException {
        return await(r -> r.isFor(address) && r.subject().contains(subject), "a mail to " + address + " about '" + subject + "'");
    }

    Received await(Predicate<Received> wanted, String what) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            for (Received r : all()) {
                if (wanted.test(r)) {
                    return r;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Not within 20 s: " + what + "; received: " + summary());
    }

    String summary() {
        return all().stream().map(r -> r.to() + " '" + r.subject() + "'").toList().toString();
    }

    private static Received read(MimeMessage m) {
        try {
            List<String> to = Arrays.stream(m.getRecipients(Message.RecipientType.TO)).map(Address::toString).toList();
            return new Received(to, m.getSubject(), part(m, "text/plain"), part(m, "text/html"));
        } catch (MessagingException | IOException e) {
            throw new AssertionError("Unreadable mail", e);
        }
    }

    /** The first part of that type, however deep Keycloak nested it (multipart/alternative, maybe in mixed). */
    private static String part(Part p, String type) throws MessagingException, IOException {
        if (p.isMimeType(type)) {
            return p.getContent().toString();
        }
        if (p.isMimeType("multipart/*")) {
            Multipart mp = (Multipart) p.getContent();
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart child = mp.getBodyPart(i);
                String found = part(child, type);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}

"""The only code that touches mail libraries: IMAP (imapclient), SMTP (smtplib), parsing (mail-parser), TLS, mbox/Maildir."""

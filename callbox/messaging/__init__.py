"""Messaging: SMS and MMS as Twilio handles them. Segments and encodings, opt-out keywords,
Messaging Services' sender pools, and the exchange that runs an app's replies to an inbound
message and delivers outbound messages with their status callbacks."""

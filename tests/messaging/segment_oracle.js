// Twilio's segment calculator answering over stdin: each line is a JSON array of
// [body, smartEncoding] pairs, each answer line a JSON array of what it made of them.
const readline = require("readline");
const { SegmentedMessage } = require("sms-segments-calculator");

const lines = readline.createInterface({ input: process.stdin, terminal: false });
lines.on("line", (line) => {
  const answers = JSON.parse(line).map(([body, smart]) => {
    const message = new SegmentedMessage(body, "auto", smart);
    return {
      encoding: message.encodingName,
      characters: message.numberOfCharacters,
      segments: message.segments.map((segment) =>
        Array.from(segment, (unit) => (unit.raw === undefined ? "" : unit.raw)).join(""),
      ),
    };
  });
  process.stdout.write(JSON.stringify(answers) + "\n");
});

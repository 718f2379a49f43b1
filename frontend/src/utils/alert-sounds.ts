/**
 * Each alert has its own short tune, made on the spot (no sound file to ship): a chat given
 * to me rises, a chat starting to wait is one low note, a visitor's message one brighter
 * note, a colleague's mention falls, a reminder knocks three times. Frequencies in Hz.
 */
const TUNES = {
  chatAssigned: [660, 880],
  chatWaiting: [520],
  visitorMessage: [698],
  mention: [880, 660],
  reminder: [784, 784, 988],
} satisfies Record<string, number[]>;

export type AlertTune = keyof typeof TUNES;

const NOTE_SECONDS = 0.16;
/** At full volume: loud enough to hear over a call, still polite at the default 0.6. */
const PEAK_GAIN = 0.25;

let audio: AudioContext | null = null;

/** Plays one alert at `volume` (0..1). Silent when the browser has no audio or wants a click first. */
export function playAlertTune(tune: AlertTune, volume: number): void {
  if (volume <= 0) return;
  try {
    audio ??= new AudioContext();
    if (audio.state === 'suspended') void audio.resume();
    const context = audio;
    const start = context.currentTime;
    TUNES[tune].forEach((frequency, index) => {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.frequency.value = frequency;
      const at = start + index * NOTE_SECONDS;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(PEAK_GAIN * Math.min(volume, 1), at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + NOTE_SECONDS - 0.01);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(at);
      oscillator.stop(at + NOTE_SECONDS);
    });
  } catch {
    // No audio device, or autoplay is blocked until a click: the visual alerts remain.
  }
}

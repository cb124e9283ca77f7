/** The demo deck: reveal.js with the plugin any deck can use (served as /embed/opslab-reveal.js). */
import Reveal from 'reveal.js';
import 'reveal.js/reveal.css';
import '../styles/slides-demo.css';
import { OpslabEmbeds } from '../embed/reveal-plugin.ts';

const root = document.querySelector<HTMLElement>('.reveal')!;
const reduced = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
const deck = new Reveal(root, { hash: true, transition: reduced ? 'none' : 'slide', backgroundTransition: reduced ? 'none' : 'fade', width: 1280, height: 800, margin: 0.02, plugins: [OpslabEmbeds] });
void deck.initialize();

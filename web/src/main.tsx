import { render } from 'preact';
import { App } from './app.js';
import { lang } from './lib/i18n.js';
import { loadSession } from './lib/session.js';
import './styles.css';

document.documentElement.lang = lang.get();
render(<App />, document.getElementById('app')!);
void loadSession();

import { mount } from 'svelte';
import './styles/app.css';
import App from './App.svelte';
import { connectBridge } from './bridge/index.js';

const target = document.getElementById('app')!;
const appBridge = connectBridge();
if ('error' in appBridge) {
  target.textContent = appBridge.error;
} else {
  mount(App, { target, props: { appBridge } });
}

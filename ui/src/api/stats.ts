import { call } from './invoke'
import type { RegisterStats } from '@/bindings/RegisterStats'

export const registerStats = () => call<RegisterStats>('register_stats')

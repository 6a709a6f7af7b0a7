package io.protoloop.boot.test.sample;

import org.springframework.stereotype.Service;

/** A service no protocol uses: the slice never creates it. */
@Service
public class AccountService {

}
